#pragma once
// Repeated uploads (docs/API.md "Repeated uploads"): an upload whose bytes, options and owner
// match a task whose result is still stored is answered with a new task, SUCCESS at once, that
// reads the same result. The upload handlers ask here for each task they would create.

#include <optional>
#include <string>
#include <string_view>

#include "core/task.h"
#include "http/api_context.h"
#include "http/handlers/idempotency.h"
#include "metrics/registry.h"

namespace image_resize::http {

// The counter of tasks answered so, in one place (registered at start, so that it shows at 0).
metrics::Counter& results_reused_counter(metrics::Registry& metrics);

// Whether `task` gets a content key: not when results are not reused (--reuse-results false) or
// the task must run: one with a callback_url always runs, so that its webhook fires. A task by
// `url` has no bytes at upload, so it is never given one. Ask before hashing: SHA-256 costs
// about 0.7 ms a MB.
bool reuses_results(const ApiContext& ctx, const core::TaskRecord& task);

// Sets task.content_key, from the SHA-256 of its input (core::sha256_hex), when reuses_results.
void set_content_key(const ApiContext& ctx, core::TaskRecord& task, std::string_view input_sha256);

// `pending` (a new task, as the upload makes it) as a task that reuses the stored result of
// earlier work with its content key: SUCCESS at once, with that result's id and output. nullopt
// when there is none, or the lookup failed (logged): the upload is then stored as usual. The
// store may still refuse it (ErrorCode::result_gone) when that result's last task goes first.
std::optional<core::TaskRecord> reusing_task(ApiContext& ctx, const core::TaskRecord& pending);

// reusing_task(pending), created with the upload's answer `accepted` (create_tasks, so that an
// Idempotency-Key is recorded with it), and counted. nullopt when there is no result to reuse or
// it went meanwhile (result_gone): the upload is then stored as usual.
std::optional<core::Result<Accepted>> create_reusing_task(
    ApiContext& ctx, const std::optional<IdempotencyClaim>& claim, const core::TaskRecord& pending,
    Accepted accepted);

}  // namespace image_resize::http
