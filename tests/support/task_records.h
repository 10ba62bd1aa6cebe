#pragma once
// Task records as the API creates them, for the store and queue tests of every backend.

#include <chrono>

#include "core/clock.h"
#include "core/task.h"

namespace image_resize::testing {

// A PENDING task of a 640-wide JPEG resize, expiring in an hour unless told otherwise.
inline core::TaskRecord pending_task(core::Priority priority = core::Priority::normal,
                                     core::TimePoint expires_at = core::now() +
                                                                  std::chrono::hours(1)) {
  core::ResizeSpec spec;
  spec.width = 640;
  spec.priority = priority;
  return core::TaskRecord::pending(core::TaskId::generate(), spec, core::ImageFormat::jpeg,
                                   core::now(), expires_at);
}

}  // namespace image_resize::testing
