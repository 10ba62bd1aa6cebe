#include "config/options.h"

#include <array>
#include <cstdlib>

#include "config/value_parsers.h"

namespace image_resize::config {
namespace {

using std::chrono::milliseconds;

template <class Int>
Int integer(const char* name, const std::string& text, Int low, Int high) {
  auto size = parse_byte_size(text);  // plain digits parse as a size with unit 1
  if (!size || text.find_first_not_of("0123456789") != std::string::npos ||
      *size < static_cast<std::uint64_t>(low) || *size > static_cast<std::uint64_t>(high)) {
    throw BadValue{"--" + std::string(name) + " must be an integer from " + std::to_string(low) +
                   " to " + std::to_string(high) + ", not '" + text + "'"};
  }
  return static_cast<Int>(*size);
}

// A non-negative number of requests per second, like 5 or 0.5.
double rate(const char* name, const std::string& text) {
  char* end = nullptr;
  const double parsed = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !(parsed >= 0) || parsed > 1e6) {
    throw BadValue{"--" + std::string(name) + " must be a number of requests per second, not '" +
                   text + "'"};
  }
  return parsed;
}

std::uint64_t byte_size(const char* name, const std::string& text) {
  auto size = parse_byte_size(text);
  if (!size) {
    throw BadValue{"--" + std::string(name) + " must be a size like 50MiB, not '" + text + "'"};
  }
  return *size;
}

milliseconds duration(const char* name, const std::string& text) {
  auto parsed = parse_duration(text);
  if (!parsed) {
    throw BadValue{"--" + std::string(name) + " must be a duration like 30s or 12h, not '" + text +
                   "'"};
  }
  return *parsed;
}

std::string format_number(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

std::string format_min_free_space(const storage::MinFreeSpace& floor) {
  if (floor.bytes == 0 || floor.percent <= 0) return "0";
  std::string text;
  if (floor.percent < 100) text = format_number(floor.percent) + "%";
  if (floor.bytes != UINT64_MAX) {
    // append() rather than operator+: g++ 12 at -O3 warns falsely (-Wrestrict) on the latter.
    if (!text.empty()) text.push_back(',');
    text.append(format_byte_size(floor.bytes));
  }
  return text.empty() ? "100%" : text;
}

const char* addressing_name(storage::s3::Addressing addressing) {
  switch (addressing) {
    case storage::s3::Addressing::path: return "path";
    case storage::s3::Addressing::virtual_host: return "virtual";
    case storage::s3::Addressing::automatic: break;
  }
  return "auto";
}

const char* log_format_name(core::log::Format format) {
  return format == core::log::Format::json ? "json" : "text";
}

// The table: one entry per option, in the order --help lists them.
constexpr std::array kOptions{
    Option{"host", kServe | kApi | kWorker, "address to listen on (a worker's --metrics-port too)",
           [](const AppConfig& c) { return c.http.host; },
           [](AppConfig& c, const std::string& t) { c.http.host = t; }},
    Option{"port", kServe | kApi, "TCP port to listen on (0: any free port, logged)",
           [](const AppConfig& c) { return std::to_string(c.http.port); },
           [](AppConfig& c, const std::string& t) {
             c.http.port = integer<std::uint16_t>("port", t, 0, 65535);
           }},
    Option{"data-dir", kServe | kApi | kWorker,
           "directory for the task database (serve) and, with --blob-store file:, the image "
           "files (then the volume every api and worker shares)",
           [](const AppConfig& c) { return c.data_dir.string(); },
           [](AppConfig& c, const std::string& t) { c.data_dir = t; }},
    Option{"blob-store", kServe | kApi | kWorker,
           "where inputs and results live: file: (under --data-dir) or s3://BUCKET[/PREFIX] (an "
           "S3-compatible bucket, so that machines share no disk; credentials from "
           "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN)",
           [](const AppConfig& c) { return c.blob_store; },
           [](AppConfig& c, const std::string& t) { c.blob_store = t; }},
    Option{"s3-endpoint", kServe | kApi | kWorker,
           "http(s)://host[:port] of the S3 API (MinIO, Ceph, R2, GCS...); empty: AWS's "
           "endpoint of --s3-region",
           [](const AppConfig& c) { return c.s3.endpoint; },
           [](AppConfig& c, const std::string& t) { c.s3.endpoint = t; }},
    Option{"s3-region", kServe | kApi | kWorker,
           "region the requests are signed for (default: AWS_REGION, else this)",
           [](const AppConfig& c) { return c.s3.region; },
           [](AppConfig& c, const std::string& t) {
             if (t.empty()) throw BadValue{"--s3-region must not be empty"};
             c.s3.region = t;
           }},
    Option{"s3-addressing", kServe | kApi | kWorker,
           "auto, path (endpoint/BUCKET/key) or virtual (BUCKET.endpoint/key); auto: path for "
           "an IP address, a port or a one-label host, else virtual",
           [](const AppConfig& c) { return std::string(addressing_name(c.s3.addressing)); },
           [](AppConfig& c, const std::string& t) {
             if (t == "auto") {
               c.s3.addressing = storage::s3::Addressing::automatic;
             } else if (t == "path") {
               c.s3.addressing = storage::s3::Addressing::path;
             } else if (t == "virtual") {
               c.s3.addressing = storage::s3::Addressing::virtual_host;
             } else {
               throw BadValue{"--s3-addressing must be auto, path or virtual, not '" + t + "'"};
             }
           }},
    Option{"s3-timeout", kServe | kApi | kWorker,
           "time for one object store request (failed ones are retried with backoff)",
           [](const AppConfig& c) { return format_duration(c.s3.timeout); },
           [](AppConfig& c, const std::string& t) { c.s3.timeout = duration("s3-timeout", t); }},
    Option{
        "result-redirect", kServe | kApi,
        "answer a result download with 307 to a presigned URL of the bucket (which, or a CDN "
        "in front of it, serves the bytes) instead of relaying them (true or false; needs "
        "s3:// blobs)",
        [](const AppConfig& c) { return std::string(c.http.result_redirect ? "true" : "false"); },
        [](AppConfig& c, const std::string& t) {
          auto redirect = parse_bool(t);
          if (!redirect) throw BadValue{"--result-redirect must be true or false"};
          c.http.result_redirect = *redirect;
        }},
    Option{"result-redirect-expiry", kServe | kApi,
           "how long a presigned result URL of --result-redirect works (1s to 7d)",
           [](const AppConfig& c) {
             return format_duration(
                 std::chrono::duration_cast<milliseconds>(c.http.result_redirect_expiry));
           },
           [](AppConfig& c, const std::string& t) {
             c.http.result_redirect_expiry = std::chrono::duration_cast<std::chrono::seconds>(
                 duration("result-redirect-expiry", t));
           }},
    Option{"redis", kApi | kWorker, "redis://[:password@]host:port/db, required by api and worker",
           [](const AppConfig& c) { return c.redis_url; },
           [](AppConfig& c, const std::string& t) { c.redis_url = t; }},
    Option{"workers", kServe | kWorker, "tasks resized at once (0: one per core)",
           [](const AppConfig& c) { return std::to_string(c.worker.resize_slots); },
           [](AppConfig& c, const std::string& t) {
             c.worker.resize_slots = integer<int>("workers", t, 0, 1024);
           }},
    Option{"max-upload-bytes", kServe | kApi, "largest upload body (413 above it)",
           [](const AppConfig& c) { return format_byte_size(c.limits.max_upload_bytes); },
           [](AppConfig& c, const std::string& t) {
             c.limits.max_upload_bytes = byte_size("max-upload-bytes", t);
           }},
    Option{"max-input-pixels", kServe | kApi | kWorker,
           "largest input, width*height*frames (422 above it)",
           [](const AppConfig& c) { return std::to_string(c.limits.max_input_pixels); },
           [](AppConfig& c, const std::string& t) {
             c.limits.max_input_pixels =
                 integer<std::uint64_t>("max-input-pixels", t, 0, UINT64_MAX);
           }},
    Option{"max-interlaced-pixels", kServe | kApi | kWorker,
           "largest progressive JPEG or interlaced PNG, width*height, which libvips decodes "
           "whole (422 above it)",
           [](const AppConfig& c) { return std::to_string(c.limits.max_interlaced_pixels); },
           [](AppConfig& c, const std::string& t) {
             c.limits.max_interlaced_pixels =
                 integer<std::uint64_t>("max-interlaced-pixels", t, 0, UINT64_MAX);
           }},
    Option{"max-dimension", kServe | kApi | kWorker, "largest width or height a client may ask for",
           [](const AppConfig& c) { return std::to_string(c.limits.max_output_side); },
           [](AppConfig& c, const std::string& t) {
             c.limits.max_output_side = integer<int>("max-dimension", t, 1, 1'000'000);
           }},
    Option{"max-frames", kServe | kApi | kWorker, "most frames of an animated input",
           [](const AppConfig& c) { return std::to_string(c.limits.max_frames); },
           [](AppConfig& c, const std::string& t) {
             c.limits.max_frames = integer<int>("max-frames", t, 0, 100'000);
           }},
    Option{"max-batch-files", kServe | kApi,
           "most files one upload may send (each file times each variant is a task)",
           [](const AppConfig& c) { return std::to_string(c.limits.max_batch_files); },
           [](AppConfig& c, const std::string& t) {
             c.limits.max_batch_files = integer<int>("max-batch-files", t, 1, 1'000);
           }},
    Option{"api-keys-file", kServe | kApi,
           "file of API keys (one per line, optional name after it); when set, every /api/v1 "
           "route needs Authorization: Bearer <key>",
           [](const AppConfig& c) { return c.http.api_keys_file; },
           [](AppConfig& c, const std::string& t) { c.http.api_keys_file = t; }},
    Option{"url-signing-key", kServe | kApi,
           "file of keys (one a line, 32+ characters; the first signs) for signed, expiring "
           "result links in status answers, which the result route takes instead of an API key",
           [](const AppConfig& c) { return c.http.url_signing_key_file; },
           [](AppConfig& c, const std::string& t) { c.http.url_signing_key_file = t; }},
    Option{"signed-url-expiry", kServe | kApi,
           "how long a signed result link works (1m to 7d; rounded up to the minute)",
           [](const AppConfig& c) {
             return format_duration(
                 std::chrono::duration_cast<milliseconds>(c.http.signed_url_expiry));
           },
           [](AppConfig& c, const std::string& t) {
             c.http.signed_url_expiry =
                 std::chrono::duration_cast<std::chrono::seconds>(duration("signed-url-expiry", t));
           }},
    Option{"tls-cert", kServe | kApi | kWorker,
           "PEM certificate chain (server certificate first): serve HTTPS only, with --tls-key "
           "(a worker's --metrics-port too)",
           [](const AppConfig& c) { return c.http.tls_cert_file; },
           [](AppConfig& c, const std::string& t) { c.http.tls_cert_file = t; }},
    Option{"tls-key", kServe | kApi | kWorker, "PEM private key of --tls-cert (not encrypted)",
           [](const AppConfig& c) { return c.http.tls_key_file; },
           [](AppConfig& c, const std::string& t) { c.http.tls_key_file = t; }},
    Option{"trusted-proxies", kServe | kApi,
           "reverse proxies (addresses and CIDR ranges, comma-separated) whose X-Forwarded-For "
           "names the client in logs and per-address rate limits; none: never believed",
           [](const AppConfig& c) { return c.http.trusted_proxies; },
           [](AppConfig& c, const std::string& t) { c.http.trusted_proxies = t; }},
    Option{
        "admin-on-loopback", kServe | kApi,
        "without --api-keys-file, let callers on 127.0.0.0/8 and ::1 use the operator routes "
        "(worker concurrency, pause); otherwise they are off (true or false)",
        [](const AppConfig& c) { return std::string(c.http.admin_on_loopback ? "true" : "false"); },
        [](AppConfig& c, const std::string& t) {
          auto allowed = parse_bool(t);
          if (!allowed) throw BadValue{"--admin-on-loopback must be true or false"};
          c.http.admin_on_loopback = *allowed;
        }},
    Option{"presets-file", kServe | kApi,
           "JSON file of named lists of variants (sizes, formats) that uploads ask for in "
           "`preset` fields; a bad file stops the start",
           [](const AppConfig& c) { return c.http.presets_file; },
           [](AppConfig& c, const std::string& t) { c.http.presets_file = t; }},
    Option{"only-presets", kServe | kApi,
           "uploads must name presets of --presets-file and may not give width, height, dpr or "
           "variants of their own (422 presets_only) (true or false)",
           [](const AppConfig& c) { return std::string(c.http.only_presets ? "true" : "false"); },
           [](AppConfig& c, const std::string& t) {
             auto only = parse_bool(t);
             if (!only) throw BadValue{"--only-presets must be true or false"};
             c.http.only_presets = *only;
           }},
    Option{"reuse-results", kServe | kApi,
           "answer an upload whose bytes, options and owner match a task whose result is still "
           "stored with a new task, SUCCESS at once, sharing that result (true or false)",
           [](const AppConfig& c) { return std::string(c.http.reuse_results ? "true" : "false"); },
           [](AppConfig& c, const std::string& t) {
             auto reuse = parse_bool(t);
             if (!reuse) throw BadValue{"--reuse-results must be true or false"};
             c.http.reuse_results = *reuse;
           }},
    Option{"cors-origins", kServe | kApi,
           "origins (scheme://host[:port], comma-separated) of browser pages that may call the "
           "API, or * (not with --api-keys-file); none: no CORS headers",
           [](const AppConfig& c) { return c.http.cors_origins; },
           [](AppConfig& c, const std::string& t) { c.http.cors_origins = t; }},
    Option{"rate-limit", kServe | kApi,
           "requests per second on /api/v1 per API key (per client address without keys), "
           "shared by every api process on Redis; 0: no limit",
           [](const AppConfig& c) { return format_number(c.http.rate_limit); },
           [](AppConfig& c, const std::string& t) { c.http.rate_limit = rate("rate-limit", t); }},
    Option{"rate-burst", kServe | kApi,
           "requests a quiet client may send at once under --rate-limit (0: the rate, at least 1)",
           [](const AppConfig& c) { return format_number(c.http.rate_burst); },
           [](AppConfig& c, const std::string& t) { c.http.rate_burst = rate("rate-burst", t); }},
    Option{"max-queue", kServe | kApi,
           "tasks waiting or running at once; uploads beyond get 503 queue_full (0: no limit)",
           [](const AppConfig& c) { return std::to_string(c.limits.max_queue_depth); },
           [](AppConfig& c, const std::string& t) {
             c.limits.max_queue_depth = integer<std::uint64_t>("max-queue", t, 0, UINT64_MAX);
           }},
    Option{"task-timeout", kServe | kWorker,
           "time for one task's decode, resize and encode; past it the task ends FAILURE "
           "timeout (0: none)",
           [](const AppConfig& c) { return format_duration(c.limits.max_processing_time); },
           [](AppConfig& c, const std::string& t) {
             c.limits.max_processing_time = duration("task-timeout", t);
           }},
    Option{"isolate-imaging", kServe | kWorker,
           "resize in helper processes, so a decoder crash fails one task attempt instead of "
           "the process (true or false)",
           [](const AppConfig& c) { return std::string(c.isolate_imaging ? "true" : "false"); },
           [](AppConfig& c, const std::string& t) {
             auto isolate = parse_bool(t);
             if (!isolate) throw BadValue{"--isolate-imaging must be true or false"};
             c.isolate_imaging = *isolate;
           }},
    Option{"ttl", kServe | kApi | kWorker, "how long tasks, inputs and results are kept",
           [](const AppConfig& c) {
             return format_duration(std::chrono::duration_cast<milliseconds>(c.ttl));
           },
           [](AppConfig& c, const std::string& t) {
             c.ttl = std::chrono::duration_cast<std::chrono::seconds>(duration("ttl", t));
           }},
    Option{"sweep-interval", kServe | kWorker, "how often expired tasks are removed",
           [](const AppConfig& c) { return format_duration(c.sweep_interval); },
           [](AppConfig& c, const std::string& t) {
             c.sweep_interval = duration("sweep-interval", t);
           }},
    Option{"min-free-space", kServe | kApi | kWorker,
           "free space on the data dir's file system below which uploads get 503 and /readyz "
           "fails: a size (2G), a percentage of the file system (10%), or both (the smaller "
           "counts); 0: none",
           [](const AppConfig& c) { return format_min_free_space(c.min_free_space); },
           [](AppConfig& c, const std::string& t) {
             const auto floor = parse_min_free_space(t);
             if (!floor) {
               throw BadValue{
                   "--min-free-space must be a size (2G), a percentage (10%) or both "
                   "(5%,1G), not '" +
                   t + "'"};
             }
             c.min_free_space = *floor;
           }},
    Option{"lease", kServe | kWorker,
           "how long a task leased by a worker that stopped renewing it stays its own (renewed "
           "every third of it while the task runs)",
           [](const AppConfig& c) { return format_duration(c.lease_duration); },
           [](AppConfig& c, const std::string& t) { c.lease_duration = duration("lease", t); }},
    Option{"max-attempts", kServe | kWorker,
           "tries of a task whose worker dies before it ends FAILURE",
           [](const AppConfig& c) { return std::to_string(c.worker.max_attempts); },
           [](AppConfig& c, const std::string& t) {
             c.worker.max_attempts = integer<int>("max-attempts", t, 1, 100);
           }},
    Option{"shutdown-grace", kServe | kApi | kWorker,
           "how long SIGTERM waits for requests and tasks in progress",
           [](const AppConfig& c) { return format_duration(c.shutdown_grace); },
           [](AppConfig& c, const std::string& t) {
             c.shutdown_grace = duration("shutdown-grace", t);
           }},
    Option{"io-threads", kServe | kApi | kWorker, "HTTP event-loop threads",
           [](const AppConfig& c) { return std::to_string(c.http.io_threads); },
           [](AppConfig& c, const std::string& t) {
             c.http.io_threads = integer<int>("io-threads", t, 1, 256);
           }},
    Option{"blocking-threads", kServe | kApi | kWorker,
           "threads for store and file calls of the HTTP side",
           [](const AppConfig& c) { return std::to_string(c.http.blocking_threads); },
           [](AppConfig& c, const std::string& t) {
             c.http.blocking_threads = integer<int>("blocking-threads", t, 1, 1024);
           }},
    Option{"max-connections", kServe | kApi | kWorker,
           "connections open at once; more are closed at once",
           [](const AppConfig& c) { return std::to_string(c.http.max_connections); },
           [](AppConfig& c, const std::string& t) {
             c.http.max_connections = integer<int>("max-connections", t, 1, 1'000'000);
           }},
    Option{"max-requests-per-connection", kServe | kApi | kWorker,
           "requests on one keep-alive connection before the server closes it",
           [](const AppConfig& c) { return std::to_string(c.http.max_requests_per_connection); },
           [](AppConfig& c, const std::string& t) {
             c.http.max_requests_per_connection =
                 integer<int>("max-requests-per-connection", t, 1, 1'000'000);
           }},
    Option{"header-timeout", kServe | kApi | kWorker,
           "time for a request's headers (and keep-alive idle time)",
           [](const AppConfig& c) { return format_duration(c.http.header_timeout); },
           [](AppConfig& c, const std::string& t) {
             c.http.header_timeout = duration("header-timeout", t);
           }},
    Option{"body-timeout", kServe | kApi, "time for a request's body",
           [](const AppConfig& c) { return format_duration(c.http.body_timeout); },
           [](AppConfig& c, const std::string& t) {
             c.http.body_timeout = duration("body-timeout", t);
           }},
    Option{"metrics-port", kWorker,
           "serve /metrics, /healthz and /readyz on this port of --host (0: any free port; "
           "empty: off)",
           [](const AppConfig& c) {
             return c.metrics_port ? std::to_string(*c.metrics_port) : std::string();
           },
           [](AppConfig& c, const std::string& t) {
             c.metrics_port.reset();
             if (!t.empty()) c.metrics_port = integer<std::uint16_t>("metrics-port", t, 0, 65535);
           }},
    Option{"heartbeat-interval", kServe | kApi | kWorker,
           "how often a worker process reports itself; after 3 missed beats (and 1 s) it is "
           "shown gone and its tasks are handed out again",
           [](const AppConfig& c) { return format_duration(c.worker.heartbeat_interval); },
           [](AppConfig& c, const std::string& t) {
             c.worker.heartbeat_interval = duration("heartbeat-interval", t);
           }},
    Option{"persist-pool-size", kServe | kWorker,
           "apply at start what operators set for this worker's name or for every worker before "
           "(concurrency, pause); otherwise start from the flags (true or false)",
           [](const AppConfig& c) {
             return std::string(c.worker.persist_pool_size ? "true" : "false");
           },
           [](AppConfig& c, const std::string& t) {
             auto persist = parse_bool(t);
             if (!persist) throw BadValue{"--persist-pool-size must be true or false"};
             c.worker.persist_pool_size = *persist;
           }},
    Option{"outbound-allow", kServe | kApi | kWorker,
           "addresses and CIDR ranges (comma-separated) that images by URL and webhooks may "
           "reach although denied by default (loopback, private, link-local, CGNAT, ...)",
           [](const AppConfig& c) { return c.outbound_allow; },
           [](AppConfig& c, const std::string& t) { c.outbound_allow = t; }},
    Option{"outbound-deny", kServe | kApi | kWorker,
           "more addresses and CIDR ranges (comma-separated) they may never reach; wins over "
           "--outbound-allow",
           [](const AppConfig& c) { return c.outbound_deny; },
           [](AppConfig& c, const std::string& t) { c.outbound_deny = t; }},
    Option{"outbound-connect-timeout", kServe | kApi | kWorker,
           "time to connect to an image's URL or a webhook receiver",
           [](const AppConfig& c) { return format_duration(c.outbound.connect_timeout); },
           [](AppConfig& c, const std::string& t) {
             c.outbound.connect_timeout = duration("outbound-connect-timeout", t);
           }},
    Option{"outbound-idle-timeout", kServe | kApi | kWorker,
           "an image's URL that sends nothing for this long fails source_timeout",
           [](const AppConfig& c) { return format_duration(c.outbound.idle_timeout); },
           [](AppConfig& c, const std::string& t) {
             c.outbound.idle_timeout = duration("outbound-idle-timeout", t);
           }},
    Option{"outbound-timeout", kServe | kApi | kWorker,
           "time to fetch an image by URL, redirects included; past it source_timeout",
           [](const AppConfig& c) { return format_duration(c.outbound.total_timeout); },
           [](AppConfig& c, const std::string& t) {
             c.outbound.total_timeout = duration("outbound-timeout", t);
           }},
    Option{"outbound-max-redirects", kServe | kApi | kWorker,
           "redirects followed when fetching an image by URL (each target checked again)",
           [](const AppConfig& c) { return std::to_string(c.outbound.max_redirects); },
           [](AppConfig& c, const std::string& t) {
             c.outbound.max_redirects = integer<int>("outbound-max-redirects", t, 0, 10);
           }},
    Option{"webhook-secret", kServe | kApi | kWorker,
           "file whose first line (32+ characters) signs webhook deliveries "
           "(X-Image-Resize-Signature); without it a callback_url is refused",
           [](const AppConfig& c) { return c.webhook.secret_file; },
           [](AppConfig& c, const std::string& t) { c.webhook.secret_file = t; }},
    Option{"webhook-timeout", kServe | kWorker, "time for one webhook delivery attempt",
           [](const AppConfig& c) { return format_duration(c.webhook.timeout); },
           [](AppConfig& c, const std::string& t) {
             c.webhook.timeout = duration("webhook-timeout", t);
           }},
    Option{"webhook-retry-for", kServe | kWorker,
           "how long after a task ends its webhook is tried again (backoff 1 s doubling to 1 h, "
           "with jitter) before it is marked failed",
           [](const AppConfig& c) { return format_duration(c.webhook.retry_for); },
           [](AppConfig& c, const std::string& t) {
             c.webhook.retry_for = duration("webhook-retry-for", t);
           }},
    Option{"log-level", kAllModes, "debug, info, warn or error",
           [](const AppConfig& c) { return std::string(core::log::to_string(c.log_level)); },
           [](AppConfig& c, const std::string& t) {
             auto level = core::log::parse_level(t);
             if (!level) throw BadValue{"--log-level must be debug, info, warn or error"};
             c.log_level = *level;
           }},
    Option{"log-format", kAllModes, "text or json",
           [](const AppConfig& c) { return std::string(log_format_name(c.log_format)); },
           [](AppConfig& c, const std::string& t) {
             if (t != "text" && t != "json") throw BadValue{"--log-format must be text or json"};
             c.log_format = t == "json" ? core::log::Format::json : core::log::Format::text;
           }},
};

}  // namespace

unsigned bit_of(Mode mode) {
  switch (mode) {
    case Mode::serve: return kServe;
    case Mode::api: return kApi;
    case Mode::worker: return kWorker;
    case Mode::imaging_helper: return kImagingHelper;
  }
  return 0;
}

std::span<const Option> all_options() { return kOptions; }

std::string format_duration(milliseconds duration) {
  struct Unit {
    std::int64_t ms;
    const char* suffix;
  };
  constexpr std::array<Unit, 4> kUnits{
      {{86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1'000, "s"}}};
  const std::int64_t ms = duration.count();
  if (ms == 0) return "0";
  for (const Unit& unit : kUnits) {
    if (ms % unit.ms == 0) return std::to_string(ms / unit.ms) + unit.suffix;
  }
  return std::to_string(ms) + "ms";
}

std::string format_byte_size(std::uint64_t bytes) {
  constexpr std::array<std::pair<std::uint64_t, const char*>, 3> kUnits{
      {{1ULL << 30, "GiB"}, {1ULL << 20, "MiB"}, {1ULL << 10, "KiB"}}};
  if (bytes == 0) return "0";
  for (const auto& [size, suffix] : kUnits) {
    if (bytes % size == 0) return std::to_string(bytes / size) + suffix;
  }
  return std::to_string(bytes);
}

}  // namespace image_resize::config
