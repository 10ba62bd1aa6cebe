#pragma once
// Idempotency-Key on an upload: a retry of the same upload (same owner, key and request) within
// core::kIdempotencyWindow gets the first answer again, and nothing is stored or resized twice.
// The answer is recorded in the transaction that creates the tasks
// (TaskStore::create_answered), so a server killed between storing and answering still gives it
// to the retry, and two requests racing with one key never both create.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/batch.h"
#include "core/idempotent_answer.h"
#include "core/result.h"
#include "core/task.h"
#include "http/api_context.h"
#include "http/messages.h"
#include "http/multipart/form_parts.h"

namespace image_resize::http {

// The 202 answer: its body and Location. `replayed`: the answer of an earlier request with the
// same Idempotency-Key, not of this one's tasks.
struct Accepted {
  nlohmann::json body;
  std::string location;
  bool replayed = false;
};

// An upload's Idempotency-Key, and what the upload asked.
struct IdempotencyClaim {
  std::string owner;
  std::string key;
  std::string fingerprint;  // upload_fingerprint
};

// The request's Idempotency-Key header: nullopt when absent; 422 invalid_idempotency_key when
// empty, longer than 255 characters or not printable ASCII.
core::Result<std::optional<std::string>> idempotency_key(const Request& request);

// What an upload asks, whatever its multipart boundary (a client's retry may pick a new one):
// every part's name, file name, content type and bytes in order, and the Accept header (which
// picks format=auto's format).
std::string upload_fingerprint(const std::vector<FormPart>& parts, std::string_view accept);

// The answer to a retry: the earlier one when it asked the same, else 422 idempotency_mismatch.
core::Result<Accepted> replay(const core::IdempotentAnswer& earlier, std::string_view fingerprint);

// Creates the tasks (and the batch, if any) with TaskStore::create_batch or create, or, with a
// claim, create_answered recording `accepted` under it. Returns `accepted`, or the earlier
// answer (replayed) when another request with the same key was recorded first: then none of
// `tasks` exists, and the caller removes the inputs it stored for them, as on an error. Errors
// are logged and answered as store_unavailable, but result_gone (a task of `tasks` reuses a
// result that went meanwhile), which is returned as it is.
core::Result<Accepted> create_tasks(ApiContext& ctx, const std::optional<IdempotencyClaim>& claim,
                                    const std::optional<core::BatchRecord>& batch,
                                    const std::vector<core::TaskRecord>& tasks, Accepted accepted);

}  // namespace image_resize::http
