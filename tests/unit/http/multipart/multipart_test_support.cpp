#include "multipart_test_support.h"

#include <functional>

namespace image_resize::http::multipart_test {

void PrintTo(const Outcome& outcome, std::ostream* os) {
  *os << (outcome.ok ? "ok"
                     : "error " + std::string(core::to_string(outcome.code)) + " '" +
                           outcome.message + "'");
  for (const RecordedPart& part : outcome.parts) {
    *os << " {name=" << part.headers.name << " filename=" << part.headers.filename
        << " type=" << part.headers.content_type << " bytes=" << part.data.size()
        << (part.ended ? " ended" : " open") << "}";
  }
}

core::Status RecordingHandler::on_part_begin(const PartHeaders& headers) {
  parts.push_back({headers, {}, 0, false});
  return {};
}

core::Status RecordingHandler::on_part_data(std::string_view data) {
  if (data.empty()) ++spans_outside_chunk;  // the contract says never empty
  const std::less<const char*> before;
  const bool in_chunk = !before(data.data(), chunk_.data()) &&
                        !before(chunk_.data() + chunk_.size(), data.data() + data.size());
  if (!in_chunk && !delimiter_.starts_with(data)) ++spans_outside_chunk;
  parts.back().data.append(data);
  ++parts.back().data_events;
  return {};
}

core::Status RecordingHandler::on_part_end() {
  parts.back().ended = true;
  return {};
}

void RecordingHandler::set_chunk(std::string_view chunk, std::string_view delimiter) {
  chunk_ = chunk;
  delimiter_ = delimiter;
}

Outcome run_parser(std::string_view boundary, const std::vector<std::string_view>& chunks,
                   MultipartLimits limits, int* spans_outside_chunk) {
  RecordingHandler handler;
  MultipartParser parser(boundary, limits, handler);
  const std::string delimiter = "\r\n--" + std::string(boundary);
  core::Status status;
  for (std::string_view chunk : chunks) {
    handler.set_chunk(chunk, delimiter);
    status = parser.feed(chunk);
    if (!status) break;
  }
  if (status) status = parser.finish();
  Outcome outcome{std::move(handler.parts), status.ok(), core::ErrorCode::internal, ""};
  if (!status) {
    outcome.code = status.error().code;
    outcome.message = status.error().public_message;
  }
  if (spans_outside_chunk != nullptr) *spans_outside_chunk = handler.spans_outside_chunk;
  return outcome;
}

Outcome run_whole(std::string_view boundary, std::string_view body, MultipartLimits limits) {
  return run_parser(boundary, {body}, limits);
}

}  // namespace image_resize::http::multipart_test
