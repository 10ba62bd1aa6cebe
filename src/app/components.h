#pragma once
// The building blocks the modes share: the HTTP side (server, long-poll waiters, blocking pool),
// the worker side (worker pool, expiry sweeper), and small start-up helpers. Each mode's
// composition root (serve.cpp, api.cpp, worker.cpp) only chooses the stores and wires these.

#include <memory>
#include <optional>
#include <string_view>

#include "config/app_config.h"
#include "http/forms/presets.h"
#include "http/server.h"
#include "metrics/registry.h"
#include "outbound/outbound_client.h"
#include "rate_limit/rate_limiter.h"
#include "tasks/webhook_outbox.h"
#include "tasks/worker_controls.h"
#include "tasks/worker_registry.h"
#include "webhooks/webhook_dispatcher.h"
#include "worker/control_follower.h"
#include "worker/expiry_sweeper.h"
#include "worker/heartbeat.h"
#include "worker/periodic_thread.h"
#include "worker/silent_worker_reaper.h"
#include "worker/worker_pool.h"

namespace image_resize::app {

// Logs the error and returns the exit code for a failed start.
int start_failure(std::string_view what, const core::Error& error);

// Queue depth and the oldest waiting task's age by priority, read from the queue when /metrics
// is scraped.
void register_queue_gauges(metrics::Registry& registry, tasks::TaskQueue& queue);
// --rate-limit and --rate-burst as a token bucket; per_second 0 when there is no limit.
rate_limit::RateLimit rate_limit_of(const config::AppConfig& config);
// The keys of --api-keys-file, or none when it is not set.
core::Result<http::ApiKeys> load_api_keys(const config::AppConfig& config);
// The presets of --presets-file, or none when it is not set; an error naming the flag, the file,
// the preset and the variant when it does not load.
core::Result<http::Presets> load_presets(const config::AppConfig& config);
// The keys of --url-signing-key, or none (unsigned links) when it is not set.
core::Result<http::UrlSigner> load_url_signer(const config::AppConfig& config);
// The client of images by URL and webhooks: the guard of --outbound-allow and --outbound-deny
// (checked by validate()) and the --outbound-* timeouts.
std::unique_ptr<outbound::OutboundClient> make_outbound_client(const config::AppConfig& config);
// The first line of --webhook-secret (32+ visible characters); "" when it is not set.
core::Result<std::string> load_webhook_secret(const config::AppConfig& config);
// This process's memory: resident set size, and what libvips holds.
void register_memory_gauges(metrics::Registry& registry);
// The data dir's free space and the floor below which uploads are refused.
void register_free_space_gauges(metrics::Registry& registry,
                                const storage::FreeSpaceGuard& free_space);
// What the workers resize with. With --isolate-imaging: helper processes around `in_process`
// (for probes), one started now per worker thread. Without: nullptr, meaning `in_process`.
core::Result<std::unique_ptr<imaging::ImageProcessor>> start_worker_images(
    const config::AppConfig& config, imaging::ImageProcessor& in_process,
    metrics::Registry& metrics);

class HttpSide {
 public:
  // Finished tasks whose status body is kept rendered (about 1 KiB each).
  static constexpr std::size_t kStatusBodiesCached = 1024;

  HttpSide(const config::AppConfig& config, tasks::TaskStore& tasks, tasks::TaskQueue& queue,
           tasks::WorkerRegistry& workers, tasks::WorkerControls& controls,
           tasks::WebhookOutbox& webhooks, storage::BlobStore& blobs,
           imaging::ImageProcessor& images, const outbound::OutboundClient& outbound,
           metrics::Registry& metrics, http::ApiKeys api_keys = {},
           rate_limit::RateLimiter* rate_limiter = nullptr, http::UrlSigner url_signer = {},
           http::Presets presets = {});
  // Binds the port; returns it.
  core::Result<std::uint16_t> listen() { return server_.listen(); }
  // Serves, and samples the dashboard's history every DashboardHistory::kInterval (unless
  // operations_only: no dashboard).
  void start();
  // Stops accepting, answers long-polls, drains requests in progress.
  void shutdown(std::chrono::milliseconds grace);
  // SIGHUP: reads --api-keys-file, --url-signing-key and --tls-cert/--tls-key again. A file
  // that does not load is refused with a log line and the ones in force stay; requests in
  // progress finish with the keys they started with.
  void reload(const config::AppConfig& config);
  // Wakes the long-polls waiting on this task (a worker finished it).
  void task_finished(const core::TaskId& id) { waiters_.notify(id); }

 private:
  // Only where this process stores files (AppConfig::stores_locally).
  std::optional<storage::FreeSpaceGuard> free_space_;
  http::TaskWaiters waiters_;
  http::StatusBodyCache status_bodies_{kStatusBodiesCached};
  http::BlockingExecutor blocking_;
  http::DashboardHistory history_;
  http::ApiContext context_;
  http::Server server_;
  // Last, so that it stops before what it reads and writes goes.
  worker::PeriodicThread history_sampler_;

  void sample_history();
};

// The workers (following the operators' controls at each heartbeat), the sweeper, the
// heartbeat, the reaper of silent workers and, with
// --webhook-secret, the webhook deliveries.
class WorkerSide {
 public:
  WorkerSide(const config::AppConfig& config, tasks::TaskStore& tasks, tasks::TaskQueue& queue,
             tasks::WorkerRegistry& workers, tasks::WorkerControls& controls,
             tasks::WebhookOutbox& webhooks, storage::BlobStore& blobs,
             imaging::ImageProcessor& images, outbound::OutboundClient& outbound,
             std::string webhook_secret, metrics::Registry& metrics,
             worker::WorkerPool::FinishedObserver on_finished);
  void start();
  // Stops taking tasks; false when some were still running after the grace period.
  bool stop(std::chrono::milliseconds grace);

 private:
  // Before workers_, which notifies it of every task it finishes. Null without --webhook-secret.
  std::unique_ptr<webhooks::WebhookDispatcher> deliveries_;
  worker::WorkerPool workers_;
  worker::ControlFollower controls_;
  worker::ExpirySweeper sweeper_;
  worker::Heartbeat heartbeat_;
  worker::SilentWorkerReaper reaper_;
};

// Waits for SIGTERM or SIGINT, then stops the HTTP side (if any) and the worker side (if any) in
// that order, and returns the exit code. Exits at once, leaving leases to expire, when tasks
// outlive the grace period.
int run_until_stopped(const config::AppConfig& config, HttpSide* http_side,
                      WorkerSide* worker_side);

}  // namespace image_resize::app
