// The operator routes: GET /api/v1/workers lists the workers; PATCH /api/v1/workers/{name} (or
// /api/v1/workers for every worker) sets their concurrency or pause, which each worker applies
// at its next heartbeat. Only callers with Caller::admin reach these (the dispatcher checks).
#include <nlohmann/json.hpp>

#include "core/log.h"
#include "http/dashboard_activity.h"
#include "http/dashboard_json.h"
#include "http/handlers/handlers.h"
#include "http/multipart/content_type.h"

namespace image_resize::http {

namespace asio = boost::asio;
using boost::beast::http::status;
using nlohmann::json;

namespace {

// Far more than {"concurrency": 64, "paused": false} needs.
constexpr std::size_t kMaxBodyBytes = 4096;

core::Error invalid(core::ErrorCode code, std::string message) {
  return core::Error::make(code, std::move(message));
}

// The command of a PATCH body: a JSON object with `concurrency` (an integer) and/or `paused`.
core::Result<tasks::WorkerCommand> parse_command(const Request& request) {
  auto type = parse_content_type(request[boost::beast::http::field::content_type]);
  if (!type.ok() || type->media_type != "application/json") {
    return invalid(core::ErrorCode::unsupported_media_type,
                   "Send the body as JSON, with Content-Type: application/json.");
  }
  const json body = request.body().size() <= kMaxBodyBytes
                        ? json::parse(request.body(), nullptr, false)
                        : json(json::value_t::discarded);
  if (!body.is_object()) {
    return invalid(
        core::ErrorCode::invalid_body,
        "The body must be a JSON object like {\"concurrency\": 2} or {\"paused\": true}.");
  }
  tasks::WorkerCommand command;
  for (const auto& [field, value] : body.items()) {
    if (field == "concurrency" && value.is_number_integer()) {
      const auto wanted = value.get<std::int64_t>();
      command.concurrency = static_cast<int>(std::clamp<std::int64_t>(wanted, -1, 1 << 20));
    } else if (field == "concurrency") {
      return invalid(core::ErrorCode::invalid_concurrency, "concurrency must be an integer.");
    } else if (field == "paused" && value.is_boolean()) {
      command.paused = value.get<bool>();
    } else if (field == "paused") {
      return invalid(core::ErrorCode::invalid_paused, "paused must be true or false.");
    } else {
      return invalid(core::ErrorCode::invalid_body,
                     "Unknown field '" + field + "': the fields are concurrency and paused.");
    }
  }
  if (command.empty()) {
    return invalid(core::ErrorCode::invalid_body, "Give concurrency, paused, or both.");
  }
  return command;
}

// Checks the command against the target's workers: the named one must be known, and the
// concurrency within what it (or, for every worker, the largest of them) allows.
core::Status check_target(const std::vector<core::WorkerStatus>& workers, const std::string& target,
                          const tasks::WorkerCommand& command) {
  int most = 0;
  bool found = false;
  for (const core::WorkerStatus& worker : workers) {
    if (target != tasks::kEveryWorker && worker.name != target) continue;
    found = true;
    most = std::max(most, worker.max_threads);
  }
  if (!found) {
    return invalid(core::ErrorCode::worker_not_found,
                   target == tasks::kEveryWorker
                       ? "No worker has reported in the last hour."
                       : "No worker named '" + target + "' has reported in the last hour.");
  }
  if (command.concurrency && (*command.concurrency < 1 || *command.concurrency > most)) {
    return invalid(
        core::ErrorCode::invalid_concurrency,
        "concurrency must be from 1 to " + std::to_string(most) + " (the worker's cores × 2).");
  }
  return {};
}

void record_action(ApiContext& ctx, const Caller& caller, const std::string& target,
                   const tasks::WorkerCommand& command, std::int64_t sequence) {
  auto count = [&](std::string action) {
    ctx.metrics
        .counter("image_resize_operator_actions_total",
                 "Operator commands accepted, by action: concurrency, pause, resume",
                 {{"action", std::move(action)}})
        .inc();
  };
  if (command.concurrency) count("concurrency");
  if (command.paused) count(*command.paused ? "pause" : "resume");
  core::log::info(
      "operator action",
      {{"key", caller.owner.empty() ? "-" : caller.owner},
       {"client", caller.address},
       {"worker", target},
       {"concurrency", command.concurrency ? std::to_string(*command.concurrency) : "-"},
       {"paused", command.paused ? (*command.paused ? "true" : "false") : "-"},
       {"sequence", std::to_string(sequence)}});
}

Response unavailable(const core::Error& error) {
  return error_response(core::Error::make(core::ErrorCode::backend_unavailable,
                                          "The worker registry is unreachable; retry shortly.",
                                          error.log_message()));
}

}  // namespace

asio::awaitable<Response> handle_workers_list(ApiContext& ctx) {
  auto workers = co_await ctx.blocking.run([&] { return ctx.workers.list(); });
  if (!workers.ok()) co_return unavailable(workers.error());
  const core::TimePoint now = core::now();
  json listed = json::array();
  for (const core::WorkerStatus& worker : *workers) {
    listed.push_back(
        worker_json(worker, is_alive(worker, now, core::silent_after(ctx.heartbeat_interval))));
  }
  Response response = json_response(status::ok, json{{"workers", std::move(listed)}});
  response.set(boost::beast::http::field::cache_control, "no-store");
  co_return response;
}

asio::awaitable<Response> handle_workers_update(ApiContext& ctx, const Request& request,
                                                const RouteMatch& route, const Caller& caller) {
  auto command = parse_command(request);
  if (!command.ok()) co_return error_response(command.error());
  const std::string target(route.id.empty() ? tasks::kEveryWorker : route.id);
  auto workers = co_await ctx.blocking.run([&] { return ctx.workers.list(); });
  if (!workers.ok()) co_return unavailable(workers.error());
  if (auto checked = check_target(*workers, target, *command); !checked.ok()) {
    co_return error_response(checked.error());
  }
  auto sequence = co_await ctx.blocking.run([&] { return ctx.controls.issue(target, *command); });
  if (!sequence.ok()) co_return unavailable(sequence.error());
  record_action(ctx, caller, target, *command, *sequence);
  const auto within = std::chrono::duration<double>(ctx.heartbeat_interval).count();
  co_return json_response(
      status::accepted,
      json{{"worker", target},
           {"concurrency", command->concurrency ? json(*command->concurrency) : json(nullptr)},
           {"paused", command->paused ? json(*command->paused) : json(nullptr)},
           {"sequence", *sequence},
           {"applies_within_seconds", within}});
}

}  // namespace image_resize::http
