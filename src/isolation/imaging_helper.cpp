#include "isolation/imaging_helper.h"

#include "core/log.h"
#include "isolation/resize_protocol.h"
#include "isolation/wire.h"

namespace image_resize::isolation {

int serve_resize_requests(int socket, imaging::ImageProcessor& images) {
  while (true) {
    ReadEnd end = ReadEnd::closed;
    auto message = read_message(socket, std::nullopt, &end);
    if (!message.ok()) {
      if (end == ReadEnd::closed) return 0;  // the parent is done with us
      core::log::error("imaging process: bad request", {{"error", message.error().log_message()}});
      return 1;
    }
    auto request = parse_request_header(message->header);
    if (!request.ok()) {
      core::log::error("imaging process: bad request", {{"error", request.error().log_message()}});
      return 1;
    }
    // An input passed as a file descriptor is read where it is; else it is the payload.
    const core::Result<imaging::ResizedImage> resized =
        message->fd.valid() ? images.resize_file(message->fd.get(), request->spec, request->limits)
                            : images.resize(message->payload, request->spec, request->limits);
    // The input is not needed any more: do not hold it while the reply is written.
    std::string().swap(message->payload);
    message->fd.reset();
    const std::string_view output = resized.ok() ? std::string_view(resized->bytes) : "";
    if (!write_message(socket, reply_header(resized), output).ok()) return 0;
  }
}

}  // namespace image_resize::isolation
