#pragma once
// Fetches the image of a task given by URL, under the limits of an upload: at most
// max_upload_bytes, and the pixel and frame limits read from the header as soon as it has
// arrived, so that a huge file or a decompression bomb stops early instead of being downloaded.
// Thread safety: fetch() from any thread at once.

#include <optional>
#include <string>

#include "core/limits.h"
#include "core/task.h"
#include "imaging/image_processor.h"
#include "metrics/registry.h"
#include "outbound/outbound_client.h"
#include "storage/memory_file.h"

namespace image_resize::worker {

struct FetchedSource {
  // The image, unless failure is set: in a memory file, whose bytes go back to the system the
  // moment it closes, whatever the size it reached.
  std::optional<storage::MemoryFile> body;
  std::optional<core::TaskFailure> failure;  // what the task ends with, if it ends here
  bool transient = false;  // the failure may pass (no connection, a timeout, a 5xx): try again
  std::string detail;      // for the log
};

class SourceFetcher {
 public:
  SourceFetcher(outbound::OutboundClient& client, imaging::ImageProcessor& images,
                core::Limits limits, metrics::Registry& metrics);

  FetchedSource fetch(const core::TaskRecord& task);

 private:
  FetchedSource fetch_once(const core::TaskRecord& task);
  void count(std::string_view outcome, double seconds);

  outbound::OutboundClient& client_;
  imaging::ImageProcessor& images_;
  const core::Limits limits_;
  metrics::Registry& metrics_;
};

}  // namespace image_resize::worker
