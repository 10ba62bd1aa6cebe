#pragma once
// The whole configuration of one image-resize process: which mode it runs and each module's own
// Config struct. Filled from command-line flags and IMAGE_RESIZE_* environment variables by
// load_config() — the one place either is read.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "core/limits.h"
#include "core/log.h"
#include "core/result.h"
#include "http/http_config.h"
#include "outbound/outbound_client.h"
#include "storage/free_space.h"
#include "storage/s3/s3_config.h"
#include "tasks/task_queue.h"
#include "webhooks/webhook_config.h"
#include "worker/worker_config.h"

namespace image_resize::config {

// imaging_helper: the process IsolatedImageProcessor starts (not for direct use).
enum class Mode { serve, api, worker, imaging_helper };

struct AppConfig {
  Mode mode = Mode::serve;
  // Where the task database (serve) and, with the file blob store, the input/result files live.
  // Created if missing. With file blobs in the scaled-out mode, shared by every process.
  std::filesystem::path data_dir = "./data";
  // Where inputs and results live: file: (files under data_dir, shared by every process in the
  // scaled-out mode) or s3://BUCKET[/PREFIX] (an S3-compatible bucket; machines share no disk).
  // Checked when the store opens, so that every mistake in it is a start failure (exit 1).
  std::string blob_store = "file:";
  // The bucket and prefix come from blob_store; the credentials from AWS_ACCESS_KEY_ID,
  // AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN only.
  storage::s3::S3Config s3;
  // redis://[:password@]host:port/db — the broker and task store of `api` and `worker`.
  std::string redis_url;
  http::HttpConfig http;
  // `worker` mode: the port of its operations endpoints (/metrics, /healthz, /readyz) on
  // http.host; none when unset. 0 picks a free port (logged).
  std::optional<std::uint16_t> metrics_port;
  worker::WorkerConfig worker;
  // Resize in helper processes (`image-resize imaging-helper`), so that a decoder crashing on a
  // hostile file costs that task one attempt instead of taking the process down. Off saves a
  // copy of each input and output through a socket.
  bool isolate_imaging = true;
  core::Limits limits;
  // Requests the service makes itself (images by URL, webhooks): the ranges opened and closed
  // beyond the guard's defaults (checked by validate(); app/ builds the guard from them), and
  // the timeouts (its guard field unused).
  std::string outbound_allow;
  std::string outbound_deny;
  outbound::OutboundConfig outbound;
  webhooks::WebhookConfig webhook;
  // Free space on the data dir's file system below which uploads get 503 insufficient_storage
  // and /readyz fails: 5 % of the file system, at most 1 GiB.
  storage::MinFreeSpace min_free_space;
  // Tasks, inputs and results are removed this long after the upload.
  std::chrono::seconds ttl{std::chrono::hours(24 * 30)};
  // How often the sweeper looks for expired tasks.
  std::chrono::milliseconds sweep_interval{std::chrono::minutes(1)};
  // See TaskQueue::kDefaultLeaseDuration.
  std::chrono::milliseconds lease_duration = tasks::TaskQueue::kDefaultLeaseDuration;
  // How long SIGTERM waits for tasks in progress.
  std::chrono::milliseconds shutdown_grace{std::chrono::seconds(30)};
  // glibc malloc arenas (mallopt M_ARENA_MAX): glibc gives each thread that allocates under
  // contention an arena (up to 8 per core), and freed image buffers stay resident in all of
  // them; two cut the benchmark's peak PSS from 107 to 90 MiB at the same throughput
  // (docs/performance.md). 0 leaves glibc's default, as when MALLOC_ARENA_MAX is set.
  int malloc_arenas = 2;
  core::log::Level log_level = core::log::Level::info;
  core::log::Format log_format = core::log::Format::text;

  core::Status validate() const;
  // serve's SQLite task database: in data_dir, so that one directory holds all of its state.
  std::filesystem::path task_database() const { return data_dir / "tasks.db"; }
  // Whether this process writes to --data-dir (so that its free space matters).
  bool stores_locally() const { return mode == Mode::serve || !blobs_in_bucket(); }
  bool blobs_in_bucket() const { return blob_store.starts_with("s3:"); }
};

// What the command line asked for: a configuration to run, or text to print and an exit code
// (--help, --version, or an error).
struct LoadOutcome {
  std::optional<AppConfig> config;
  std::string message;
  int exit_code = 0;
};

// `environ` style: a null-terminated array of "NAME=value"; flags win over the environment.
LoadOutcome load_config(int argc, const char* const* argv, const char* const* environment);

}  // namespace image_resize::config
