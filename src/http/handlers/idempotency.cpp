#include "http/handlers/idempotency.h"

#include <algorithm>
#include <boost/beast/http/field.hpp>

#include "core/clock.h"
#include "core/log.h"
#include "core/sha256.h"
#include "http/handlers/upload_checks.h"

namespace image_resize::http {
namespace {

constexpr std::string_view kHeader = "Idempotency-Key";
constexpr std::size_t kMaxKeyLength = 255;

core::Error invalid_key(std::string_view why) {
  return core::Error::make(core::ErrorCode::invalid_idempotency_key,
                           std::string(kHeader).append(" ").append(why));
}

// Each value with its length first, so that no two different uploads hash alike.
void add_field(core::Sha256& hash, std::string_view value) {
  hash.update(std::to_string(value.size()));
  hash.update(":");
  hash.update(value);
}

}  // namespace

core::Result<std::optional<std::string>> idempotency_key(const Request& request) {
  const auto header = request.find(kHeader);
  if (header == request.end()) return std::optional<std::string>();
  const std::string_view key = header->value();
  if (key.empty()) return invalid_key("is empty.");
  if (key.size() > kMaxKeyLength) {
    return invalid_key("has more than " + std::to_string(kMaxKeyLength) + " characters.");
  }
  if (!std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x20 && c < 0x7f; })) {
    return invalid_key("may hold printable ASCII characters only.");
  }
  return std::optional<std::string>(key);
}

std::string upload_fingerprint(const std::vector<FormPart>& parts, std::string_view accept) {
  core::Sha256 hash;
  add_field(hash, accept);
  for (const FormPart& part : parts) {
    add_field(hash, part.name);
    add_field(hash, part.filename);
    add_field(hash, part.content_type);
    add_field(hash, part.data);
  }
  return hash.hex_digest();
}

core::Result<Accepted> replay(const core::IdempotentAnswer& earlier, std::string_view fingerprint) {
  if (earlier.fingerprint != fingerprint) {
    return core::Error::make(core::ErrorCode::idempotency_mismatch,
                             "This Idempotency-Key was used for a different upload in the last " +
                                 std::to_string(core::kIdempotencyWindow.count()) +
                                 " hours; use a new key for a new upload.");
  }
  auto body = nlohmann::json::parse(earlier.body, nullptr, false);
  if (body.is_discarded()) {
    return core::Error::make(core::ErrorCode::internal, "a recorded answer is not JSON");
  }
  return Accepted{std::move(body), earlier.location, true};
}

core::Result<Accepted> create_tasks(ApiContext& ctx, const std::optional<IdempotencyClaim>& claim,
                                    const std::optional<core::BatchRecord>& batch,
                                    const std::vector<core::TaskRecord>& tasks, Accepted accepted) {
  core::Result<std::optional<core::IdempotentAnswer>> earlier{std::nullopt};
  if (claim) {
    const core::IdempotentAnswer answer{.owner = claim->owner,
                                        .key = claim->key,
                                        .fingerprint = claim->fingerprint,
                                        .location = accepted.location,
                                        .body = accepted.body.dump(),
                                        .expires_at = core::now() + core::kIdempotencyWindow};
    earlier = ctx.tasks.create_answered(answer, batch, tasks);
  } else if (batch) {
    if (auto created = ctx.tasks.create_batch(*batch, tasks); !created.ok())
      earlier = created.error();
  } else {
    if (auto created = ctx.tasks.create(tasks.at(0)); !created.ok()) earlier = created.error();
  }
  if (!earlier.ok()) {
    // A result to reuse went meanwhile: the caller stores the upload as usual.
    if (earlier.error().code == core::ErrorCode::result_gone) return earlier.error();
    const core::TaskId& id = batch ? batch->id : tasks.at(0).id;
    core::log::error(
        batch ? "batch create failed" : "task create failed",
        {{batch ? "batch_id" : "task_id", id.str()}, {"error", earlier.error().log_message()}});
    return store_unavailable();
  }
  if (*earlier) return replay(**earlier, claim->fingerprint);
  return accepted;
}

}  // namespace image_resize::http
