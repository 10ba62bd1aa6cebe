#pragma once
// How a core::TaskRecord maps onto the fields of its Redis hash and back: the names of the
// SQLite columns, enums by their text names (core::to_string / parse_*), times as Unix ms, and
// an unset optional as an absent field.

#include <array>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/task.h"
#include "tasks/redis/redis_reply.h"
#include "tasks/task_store.h"

namespace image_resize::tasks {

// Fields that only a SUCCESS / only a FAILURE has: each outcome deletes the other's.
inline constexpr std::array<std::string_view, 7> kOutputFields = {
    "output_width", "output_height",   "output_format",         "output_bytes",
    "output_etag",  "output_blurhash", "output_dominant_colour"};
inline constexpr std::array<std::string_view, 3> kFailureFields = {
    "failure_code", "failure_message", "failure_source_status"};

// Flat field, value, field, value ... lists for HSET.
std::vector<std::string> task_fields(const core::TaskRecord& task);
std::vector<std::string> output_fields(const core::TaskOutput& output);
std::vector<std::string> failure_fields(const core::TaskFailure& failure);
std::vector<std::string> webhook_fields(const core::WebhookDelivery& delivery);

// The record from an HGETALL reply. Fails (internal) on a hash no build of ours writes.
core::Result<core::TaskRecord> task_from_hash(const RedisReply& hgetall);
// The reusable result from the HGETALL of its `reuse:` hash; nullopt for an empty reply (none).
core::Result<std::optional<ReusableResult>> reusable_from_hash(const RedisReply& hgetall);
// The records of an array of HGETALL replies, skipping empty ones (tasks gone since) and those
// `keep` refuses.
core::Result<std::vector<core::TaskRecord>> tasks_from_hashes(
    const RedisReply& hashes, const std::function<bool(const core::TaskRecord&)>& keep);

}  // namespace image_resize::tasks
