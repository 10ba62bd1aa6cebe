#include "fault_injecting_processor.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "fault_markers.h"

namespace image_resize::testing {
namespace {

void act_on_markers(std::string_view input) {
  if (input.find(kFaultAbortMarker) != std::string_view::npos) std::abort();
  if (input.find(kFaultSlowMarker) != std::string_view::npos) {
    std::this_thread::sleep_for(std::chrono::seconds(40));
  }
  if (input.find(kFaultHangMarker) != std::string_view::npos) {
    while (true) std::this_thread::sleep_for(std::chrono::hours(1));
  }
}

// The whole file behind `fd`, read without moving its offset.
std::string contents_of(int fd) {
  std::string bytes;
  char buffer[65536];
  for (off_t offset = 0;;) {
    const ssize_t n = ::pread(fd, buffer, sizeof buffer, offset);
    if (n <= 0) break;
    bytes.append(buffer, static_cast<std::size_t>(n));
    offset += n;
  }
  return bytes;
}

}  // namespace

core::Result<imaging::ImageInfo> FaultInjectingProcessor::probe(std::string_view bytes,
                                                                const core::Limits& limits) {
  return inner_->probe(bytes, limits);
}

core::Result<imaging::ResizedImage> FaultInjectingProcessor::resize(std::string_view bytes,
                                                                    const core::ResizeSpec& spec,
                                                                    const core::Limits& limits) {
  act_on_markers(bytes);
  return inner_->resize(bytes, spec, limits);
}

core::Result<imaging::ResizedImage> FaultInjectingProcessor::resize_file(
    int fd, const core::ResizeSpec& spec, const core::Limits& limits) {
  act_on_markers(contents_of(fd));
  return inner_->resize_file(fd, spec, limits);
}

}  // namespace image_resize::testing
