#pragma once
// What the request handlers work with: the ports (never concrete stores), the blocking pool,
// and the settings. Built by app/ wiring, which alone knows the implementations.

#include <chrono>

#include "core/limits.h"
#include "http/api_keys.h"
#include "http/blocking_executor.h"
#include "http/cors.h"
#include "http/dashboard_history.h"
#include "http/forms/presets.h"
#include "http/http_config.h"
#include "http/key_set.h"
#include "http/status_body_cache.h"
#include "http/task_waiters.h"
#include "http/trusted_proxies.h"
#include "imaging/image_processor.h"
#include "metrics/registry.h"
#include "outbound/outbound_client.h"
#include "rate_limit/rate_limiter.h"
#include "storage/blob_store.h"
#include "storage/free_space.h"
#include "tasks/task_queue.h"
#include "tasks/task_store.h"
#include "tasks/webhook_outbox.h"
#include "tasks/worker_controls.h"
#include "tasks/worker_registry.h"

namespace image_resize::http {

struct ApiContext {
  tasks::TaskStore& tasks;
  tasks::TaskQueue& queue;
  storage::BlobStore& blobs;
  imaging::ImageProcessor& images;
  tasks::WorkerRegistry& workers;
  // What operators asked of the workers (the operator routes write it).
  tasks::WorkerControls& controls;
  // The webhooks still to deliver, for the dashboard's failing ones.
  tasks::WebhookOutbox& webhooks;
  TaskWaiters& waiters;
  StatusBodyCache& status_bodies;
  // The dashboard's last 15 minutes, sampled by app/ while the server runs.
  const DashboardHistory& history;
  BlockingExecutor& blocking;
  metrics::Registry& metrics;
  core::Limits limits;
  std::chrono::seconds task_ttl;
  HttpConfig http;
  // How often workers beat; the dashboard calls a worker dead after three missed beats.
  std::chrono::milliseconds heartbeat_interval;
  // The API keys (off unless --api-keys-file is given) and the URL signing keys (off unless
  // --url-signing-key is given), reloaded on SIGHUP.
  KeySet keys;
  // --presets-file: the variant sets an upload may name (`preset` fields).
  Presets presets;
  // None unless --trusted-proxies is given.
  TrustedProxies trusted_proxies;
  // Off unless --cors-origins is given.
  CorsPolicy cors;
  // Null unless --rate-limit is given.
  rate_limit::RateLimiter* rate_limiter;
  // Checks the URLs of a request (`url`, `callback_url`) against the outbound guard.
  const outbound::OutboundClient& outbound;
  // Whether `callback_url` is taken: deliveries are signed with --webhook-secret.
  bool webhooks_enabled = false;
  // What this build reads and writes, for GET /api/v1/formats.
  std::vector<imaging::FormatSupport> formats;
  // The data dir's free space against --min-free-space; null where nothing is stored locally.
  const storage::FreeSpaceGuard* free_space = nullptr;
};

}  // namespace image_resize::http
