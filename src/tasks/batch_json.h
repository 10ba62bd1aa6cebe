#pragma once
// A BatchRecord as the stores keep it: one JSON document (a column in SQLite, a string in Redis),
// read back whole by the batch routes and the expiry sweeper.

#include <string>
#include <string_view>

#include "core/batch.h"
#include "core/result.h"

namespace image_resize::tasks {

std::string batch_to_json(const core::BatchRecord& batch);
// Fails (internal) on a document no build of ours writes.
core::Result<core::BatchRecord> batch_from_json(std::string_view json);

}  // namespace image_resize::tasks
