#pragma once
// The checks every upload passes before anything is stored, shared by a single upload and a
// batch (resize_handler.cpp, batch_upload.cpp). They block: call them on the blocking pool.

#include <cstdint>
#include <string>

#include "core/result.h"
#include "core/task.h"
#include "http/api_context.h"

namespace image_resize::http {

// 503 backend_unavailable: the input or the task could not be stored.
core::Error store_unavailable();
// Refuses a new task while the data dir's file system is below --min-free-space: the room left
// is for the results of the tasks already accepted.
core::Status check_free_space(ApiContext& ctx);
// Backpressure: refuses new tasks while the queue holds max_queue_depth of them, or would with
// `adding` more.
core::Status check_queue_room(ApiContext& ctx, std::uint64_t adding = 1);
// The upload's URLs, normalised, once the outbound guard allows their hosts. A callback needs a
// secret to sign its deliveries with.
core::Status check_urls(ApiContext& ctx, std::string& source_url, std::string& callback_url);

}  // namespace image_resize::http
