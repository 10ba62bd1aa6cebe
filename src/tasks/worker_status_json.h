#pragma once
// A WorkerStatus as the JSON text both registries store, and back.

#include <string>
#include <string_view>

#include "core/result.h"
#include "core/worker_status.h"

namespace image_resize::tasks {

std::string worker_status_to_json(const core::WorkerStatus& status);
// Fails (internal) on text that no build of ours writes.
core::Result<core::WorkerStatus> worker_status_from_json(std::string_view text);

}  // namespace image_resize::tasks
