#include "app/components.h"

#include <algorithm>
#include <cstdlib>
#include <functional>

#include "app/process_control.h"
#include "core/log.h"
#include "http/key_file.h"
#include "http/messages.h"
#include "http/task_json.h"
#include "imaging/vips_runtime.h"
#include "isolation/isolated_image_processor.h"
#include "isolation/process_memory.h"

namespace image_resize::app {

int start_failure(std::string_view what, const core::Error& error) {
  core::log::error(what, {{"error", error.log_message()}});
  return 1;
}

namespace {

// One gauge value per priority, labelled with its name.
std::vector<std::pair<metrics::Labels, double>> per_priority(
    const std::function<double(core::Priority)>& value) {
  std::vector<std::pair<metrics::Labels, double>> values;
  for (const core::Priority priority : core::kAllPriorities) {
    values.push_back({{{"priority", std::string(core::to_string(priority))}}, value(priority)});
  }
  return values;
}

}  // namespace

void register_queue_gauges(metrics::Registry& registry, tasks::TaskQueue& queue) {
  registry.gauge("image_resize_queue_depth", "Tasks waiting or running, by priority", [&queue] {
    auto depth = queue.depth();
    if (!depth.ok()) return std::vector<std::pair<metrics::Labels, double>>{};
    return per_priority([&](core::Priority priority) {
      return static_cast<double>(depth->by_priority[static_cast<std::size_t>(priority)]);
    });
  });
  // An autoscaler's signal: how long work has waited, not only how much there is.
  registry.gauge("image_resize_queue_oldest_waiting_seconds",
                 "Age of the oldest task no worker has started yet, by priority (0: none waits)",
                 [&queue] {
                   auto oldest = queue.oldest_waiting();
                   if (!oldest.ok()) return std::vector<std::pair<metrics::Labels, double>>{};
                   const core::TimePoint now = core::now();
                   return per_priority([&](core::Priority priority) {
                     const auto& since = (*oldest)[static_cast<std::size_t>(priority)];
                     if (!since) return 0.0;
                     return std::max(0.0, std::chrono::duration<double>(now - *since).count());
                   });
                 });
}

rate_limit::RateLimit rate_limit_of(const config::AppConfig& config) {
  const double rate = config.http.rate_limit;
  return {.per_second = rate,
          .burst = config.http.rate_burst > 0 ? config.http.rate_burst : std::max(1.0, rate)};
}

core::Result<http::ApiKeys> load_api_keys(const config::AppConfig& config) {
  if (config.http.api_keys_file.empty()) return http::ApiKeys{};
  auto keys = http::ApiKeys::load(config.http.api_keys_file);
  if (keys.ok()) core::log::info("API keys on", {{"keys", std::to_string(keys->size())}});
  return keys;
}

core::Result<http::Presets> load_presets(const config::AppConfig& config) {
  const std::string& file = config.http.presets_file;
  if (file.empty()) return http::Presets{};
  auto text = http::read_key_file("--presets-file", file);
  if (!text.ok()) return text.error();
  auto presets = http::Presets::parse(*text, config.limits);
  if (!presets.ok()) {
    return core::Error::make(core::ErrorCode::internal, "Internal error",
                             std::string("--presets-file ")
                                 .append(file)
                                 .append(": ")
                                 .append(presets.error().public_message));
  }
  core::log::info("presets on", {{"presets", presets->names()},
                                 {"only_presets", config.http.only_presets ? "true" : "false"}});
  return presets;
}

core::Result<http::UrlSigner> load_url_signer(const config::AppConfig& config) {
  if (config.http.url_signing_key_file.empty()) return http::UrlSigner{};
  auto signer = http::UrlSigner::load(config.http.url_signing_key_file);
  if (signer.ok()) core::log::info("signed result links on");
  return signer;
}

std::unique_ptr<outbound::OutboundClient> make_outbound_client(const config::AppConfig& config) {
  outbound::OutboundConfig settings = config.outbound;
  // Both lists were parsed when the configuration was validated.
  settings.guard = outbound::AddressGuard(core::IpRanges::parse(config.outbound_allow).value(),
                                          core::IpRanges::parse(config.outbound_deny).value());
  if (!config.outbound_allow.empty()) {
    core::log::info("outbound requests may reach", {{"ranges", config.outbound_allow}});
  }
  return std::make_unique<outbound::OutboundClient>(std::move(settings));
}

core::Result<std::string> load_webhook_secret(const config::AppConfig& config) {
  if (!config.webhook.enabled()) return std::string();
  auto text = http::read_key_file("--webhook-secret", config.webhook.secret_file);
  if (!text.ok()) return text.error();
  const auto lines = http::key_lines(*text);
  constexpr std::size_t kMinLength = 32;
  constexpr std::size_t kMaxLength = 256;
  if (lines.empty() || !http::is_plain_key(lines.front().key, kMinLength, kMaxLength)) {
    return core::Error::make(core::ErrorCode::internal, "Internal error",
                             "--webhook-secret: " + config.webhook.secret_file +
                                 " must start with a line of 32 to 256 visible characters");
  }
  core::log::info("webhooks on");
  return lines.front().key;
}

void register_memory_gauges(metrics::Registry& registry) {
  using Values = std::vector<std::pair<metrics::Labels, double>>;
  registry.gauge("process_resident_memory_bytes", "Resident set size of this process", [] {
    return Values{{{}, static_cast<double>(isolation::resident_memory_bytes())}};
  });
  registry.gauge("image_resize_vips_memory_bytes", "Memory libvips holds for images now", [] {
    return Values{{{}, static_cast<double>(imaging::vips_memory().bytes)}};
  });
  registry.gauge("image_resize_vips_memory_peak_bytes", "Most memory libvips has held at once", [] {
    return Values{{{}, static_cast<double>(imaging::vips_memory().peak_bytes)}};
  });
  registry.gauge("image_resize_vips_allocations", "Memory blocks libvips holds now", [] {
    return Values{{{}, static_cast<double>(imaging::vips_memory().allocations)}};
  });
  registry.gauge("image_resize_vips_open_files", "Files libvips holds open now", [] {
    return Values{{{}, static_cast<double>(imaging::vips_memory().open_files)}};
  });
}

void register_free_space_gauges(metrics::Registry& registry,
                                const storage::FreeSpaceGuard& free_space) {
  using Values = std::vector<std::pair<metrics::Labels, double>>;
  auto measured = [&free_space](std::uint64_t storage::FreeSpace::*field) {
    auto space = free_space.measure();
    return Values{{{}, space.ok() ? static_cast<double>((*space).*field) : 0.0}};
  };
  registry.gauge("image_resize_data_dir_free_bytes",
                 "Bytes free on the data dir's file system (to an unprivileged writer)",
                 [measured] { return measured(&storage::FreeSpace::available); });
  registry.gauge("image_resize_data_dir_min_free_bytes",
                 "Free bytes below which uploads are refused and /readyz fails (--min-free-space)",
                 [measured] { return measured(&storage::FreeSpace::floor); });
}

core::Result<std::unique_ptr<imaging::ImageProcessor>> start_worker_images(
    const config::AppConfig& config, imaging::ImageProcessor& in_process,
    metrics::Registry& metrics) {
  if (!config.isolate_imaging) return std::unique_ptr<imaging::ImageProcessor>();
  auto images = std::make_unique<isolation::IsolatedImageProcessor>(
      std::vector<std::string>{"image-resize", "imaging-helper", "--log-level",
                               std::string(core::log::to_string(config.log_level)), "--log-format",
                               config.log_format == core::log::Format::json ? "json" : "text"},
      in_process, metrics);
  if (auto started = images->prestart(config.worker.effective_resize_slots()); !started.ok()) {
    return started.error();
  }
  return std::unique_ptr<imaging::ImageProcessor>(std::move(images));
}

HttpSide::HttpSide(const config::AppConfig& config, tasks::TaskStore& tasks,
                   tasks::TaskQueue& queue, tasks::WorkerRegistry& workers,
                   tasks::WorkerControls& controls, tasks::WebhookOutbox& webhooks,
                   storage::BlobStore& blobs, imaging::ImageProcessor& images,
                   const outbound::OutboundClient& outbound, metrics::Registry& metrics,
                   http::ApiKeys api_keys, rate_limit::RateLimiter* rate_limiter,
                   http::UrlSigner url_signer, http::Presets presets)
    : free_space_(config.stores_locally() ? std::make_optional<storage::FreeSpaceGuard>(
                                                config.data_dir, config.min_free_space)
                                          : std::nullopt),
      blocking_(config.http.blocking_threads),
      context_{.tasks = tasks,
               .queue = queue,
               .blobs = blobs,
               .images = images,
               .workers = workers,
               .controls = controls,
               .webhooks = webhooks,
               .waiters = waiters_,
               .status_bodies = status_bodies_,
               .history = history_,
               .blocking = blocking_,
               .metrics = metrics,
               .limits = config.limits,
               .task_ttl = config.ttl,
               .http = config.http,
               .heartbeat_interval = config.worker.heartbeat_interval,
               .keys = http::KeySet(std::move(api_keys), std::move(url_signer)),
               .presets = std::move(presets),
               // Parsed when the configuration was validated.
               .trusted_proxies = http::TrustedProxies::parse(config.http.trusted_proxies).value(),
               .cors = http::CorsPolicy::parse(config.http.cors_origins).value(),
               .rate_limiter = rate_limiter,
               .outbound = outbound,
               .webhooks_enabled = config.webhook.enabled(),
               .formats = imaging::supported_formats(),
               .free_space = free_space_ ? &*free_space_ : nullptr},
      server_(context_) {
  if (free_space_) register_free_space_gauges(metrics, *free_space_);
}

void HttpSide::start() {
  server_.start();
  if (context_.http.operations_only) return;  // no dashboard to sample for
  history_sampler_.start(
      [this] { sample_history(); },
      std::chrono::duration_cast<std::chrono::milliseconds>(http::DashboardHistory::kInterval));
}

void HttpSide::sample_history() {
  auto depth = context_.queue.depth();
  auto workers = context_.workers.list();
  if (!depth.ok() || !workers.ok()) {
    // A gap in the history's times; the dashboard itself says its sources are unreachable.
    core::log::debug(
        "dashboard history sample skipped",
        {{"error", !depth.ok() ? depth.error().log_message() : workers.error().log_message()}});
    return;
  }
  history_.add(http::history_sample(*depth, *workers, core::now(),
                                    core::silent_after(context_.heartbeat_interval)));
}

void HttpSide::reload(const config::AppConfig& config) {
  auto api_keys = load_api_keys(config);
  auto url_signer = load_url_signer(config);
  if (!api_keys.ok() || !url_signer.ok()) {
    core::log::error("reload refused: the keys in force stay",
                     {{"error", !api_keys.ok() ? api_keys.error().log_message()
                                               : url_signer.error().log_message()}});
  } else {
    context_.keys.replace(std::move(api_keys).value(), std::move(url_signer).value());
    core::log::info("keys reloaded",
                    {{"api_keys", std::to_string(context_.keys.api_keys()->size())},
                     {"url_signing", context_.keys.url_signer()->enabled() ? "on" : "off"}});
  }
  if (auto tls = server_.reload_tls(); !tls.ok()) {
    core::log::error("TLS reload refused: the certificate in force stays",
                     {{"error", tls.error().log_message()}});
  }
}

void HttpSide::shutdown(std::chrono::milliseconds grace) {
  history_sampler_.stop();
  server_.shutdown(grace);
  blocking_.stop();
}

namespace {

// A webhook's body: the task's status JSON, as GET /api/v1/status/<id> answers it (with the
// result's path).
std::string webhook_body(const core::TaskRecord& task) {
  return http::dump_json(http::task_status_json(task));
}

std::unique_ptr<webhooks::WebhookDispatcher> make_deliveries(
    const config::AppConfig& config, tasks::TaskStore& tasks, tasks::WebhookOutbox& webhooks,
    outbound::OutboundClient& outbound, std::string secret, metrics::Registry& metrics) {
  if (secret.empty()) return nullptr;
  return std::make_unique<webhooks::WebhookDispatcher>(config.webhook, std::move(secret), tasks,
                                                       webhooks, outbound, metrics, webhook_body);
}

}  // namespace

WorkerSide::WorkerSide(const config::AppConfig& config, tasks::TaskStore& tasks,
                       tasks::TaskQueue& queue, tasks::WorkerRegistry& workers,
                       tasks::WorkerControls& controls, tasks::WebhookOutbox& webhooks,
                       storage::BlobStore& blobs, imaging::ImageProcessor& images,
                       outbound::OutboundClient& outbound, std::string webhook_secret,
                       metrics::Registry& metrics, worker::WorkerPool::FinishedObserver on_finished)
    : deliveries_(
          make_deliveries(config, tasks, webhooks, outbound, std::move(webhook_secret), metrics)),
      workers_(config.worker, config.limits, tasks, queue, blobs, images, outbound, metrics,
               [this, on_finished = std::move(on_finished)](const core::TaskId& id) {
                 if (on_finished) on_finished(id);
                 if (deliveries_) deliveries_->notify();
               }),
      controls_(controls, workers_, config.worker.consumer_name, config.worker.persist_pool_size),
      sweeper_(tasks, blobs, config.sweep_interval),
      heartbeat_(
          workers,
          [this] {
            controls_.follow();
            return workers_.status();
          },
          config.worker.heartbeat_interval),
      reaper_(queue, config.worker.heartbeat_interval) {}

void WorkerSide::start() {
  heartbeat_.start();
  if (deliveries_) deliveries_->start();
  workers_.start();
  sweeper_.start();
  reaper_.start();
}

bool WorkerSide::stop(std::chrono::milliseconds grace) {
  reaper_.stop();
  sweeper_.stop();
  const bool finished = workers_.stop(grace);
  // Deliveries in flight end within their timeout; those not made are left in the outbox.
  if (deliveries_) deliveries_->stop();
  // Beats until its tasks are finished or handed back, so no other worker takes them for a
  // dead one's meanwhile.
  heartbeat_.stop();
  return finished;
}

int run_until_stopped(const config::AppConfig& config, HttpSide* http_side,
                      WorkerSide* worker_side) {
  const char* signal_name = wait_for_stop_signal([&] {
    if (http_side) {
      http_side->reload(config);
    } else {
      core::log::info("SIGHUP: nothing to reload in this mode");
    }
  });
  core::log::info("stopping", {{"signal", signal_name}});
  if (http_side) http_side->shutdown(config.shutdown_grace);
  if (worker_side && !worker_side->stop(config.shutdown_grace)) {
    // Tasks still running were handed back: other workers run them again.
    core::log::warn("exiting with tasks in progress");
    std::_Exit(0);
  }
  core::log::info("stopped");
  return 0;
}

}  // namespace image_resize::app
