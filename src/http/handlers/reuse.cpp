#include "http/handlers/reuse.h"

#include "core/content_key.h"
#include "core/log.h"

namespace image_resize::http {

metrics::Counter& results_reused_counter(metrics::Registry& metrics) {
  return metrics.counter("image_resize_results_reused_total",
                         "Tasks answered with the result of earlier work");
}

bool reuses_results(const ApiContext& ctx, const core::TaskRecord& task) {
  return ctx.http.reuse_results && task.callback_url.empty() && task.source_url.empty();
}

void set_content_key(const ApiContext& ctx, core::TaskRecord& task, std::string_view input_sha256) {
  if (!reuses_results(ctx, task)) return;
  task.content_key = core::content_key(task.owner, input_sha256, task.spec);
}

std::optional<core::TaskRecord> reusing_task(ApiContext& ctx, const core::TaskRecord& pending) {
  if (pending.content_key.empty()) return std::nullopt;
  auto found = ctx.tasks.find_result(pending.content_key);
  if (!found.ok()) {
    core::log::warn("reusable result lookup failed",
                    {{"task_id", pending.id.str()}, {"error", found.error().log_message()}});
    return std::nullopt;
  }
  if (!*found) return std::nullopt;
  core::TaskRecord task = pending;
  task.state = core::TaskState::success;
  task.started_at = task.created_at;
  task.finished_at = task.created_at;
  task.output = (*found)->output;
  task.result_id = (*found)->result_id;
  task.input_id.reset();  // reads no input
  return task;
}

std::optional<core::Result<Accepted>> create_reusing_task(
    ApiContext& ctx, const std::optional<IdempotencyClaim>& claim, const core::TaskRecord& pending,
    Accepted accepted) {
  auto task = reusing_task(ctx, pending);
  if (!task) return std::nullopt;
  auto answer = create_tasks(ctx, claim, std::nullopt, {*task}, std::move(accepted));
  if (!answer.ok() && answer.error().code == core::ErrorCode::result_gone) return std::nullopt;
  if (answer.ok() && !answer->replayed) results_reused_counter(ctx.metrics).inc();
  return answer;
}

}  // namespace image_resize::http
