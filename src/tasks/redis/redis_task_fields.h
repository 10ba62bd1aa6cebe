#pragma once
// How a core::TaskRecord maps onto the fields of its Redis hash and back: the names of the
// SQLite columns, enums by their text names (core::to_string / parse_*), times as Unix ms, and
// an unset optional as an absent field.

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/task.h"
#include "tasks/redis/redis_reply.h"

namespace image_resize::tasks {

// Fields that only a SUCCESS / only a FAILURE has: each outcome deletes the other's.
inline constexpr std::array<std::string_view, 5> kOutputFields = {
    "output_width", "output_height", "output_format", "output_bytes", "output_etag"};
inline constexpr std::array<std::string_view, 2> kFailureFields = {"failure_code",
                                                                   "failure_message"};

// Flat field, value, field, value ... lists for HSET.
std::vector<std::string> task_fields(const core::TaskRecord& task);
std::vector<std::string> output_fields(const core::TaskOutput& output);
std::vector<std::string> failure_fields(const core::TaskFailure& failure);

// The record from an HGETALL reply. Fails (internal) on a hash no build of ours writes.
core::Result<core::TaskRecord> task_from_hash(const RedisReply& hgetall);

}  // namespace image_resize::tasks
