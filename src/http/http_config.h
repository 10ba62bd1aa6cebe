#pragma once
// Settings of the HTTP front end. Loaded and validated by config/, owned here.

#include <chrono>
#include <cstdint>
#include <string>

#include "core/result.h"

namespace image_resize::http {

struct HttpConfig {
  // Address to listen on. The loopback default keeps a fresh install private; use 0.0.0.0
  // behind a firewall or reverse proxy.
  std::string host = "127.0.0.1";
  // TCP port; 0 picks a free one (the chosen port is logged).
  std::uint16_t port = 8080;
  // Threads running the I/O event loop. Handlers never block these, so few are enough.
  int io_threads = 2;
  // Threads for blocking calls (SQLite, Redis, blob files, image header probes). Sized for
  // fsync latency rather than CPU: most of their time is spent waiting on the disk.
  int blocking_threads = 8;
  // Time allowed for a request line and headers to arrive, and for an idle keep-alive
  // connection to send its next request. Short, so trickling clients cannot hold connections.
  std::chrono::milliseconds header_timeout{10'000};
  // Time allowed for a whole request body (an upload of up to max_upload_bytes).
  std::chrono::milliseconds body_timeout{120'000};
  // Time allowed for writing a response.
  std::chrono::milliseconds write_timeout{60'000};
  // Connections open at once. Past it new connections are closed at once: a flood of idle
  // sockets costs a file descriptor each, and the process has a limited number of those.
  int max_connections = 4096;
  // Requests on one connection, pipelined or not, after which the server closes it (as nginx's
  // keepalive_requests), so no client holds one connection and its buffers forever.
  int max_requests_per_connection = 1000;
  // Bytes of request line plus headers. Beast's default is 8 KiB; browsers stay far below.
  std::uint32_t max_header_bytes = 16 * 1024;
  // Body limit of every route but the upload (which uses Limits::max_upload_bytes).
  std::uint64_t max_small_body_bytes = 64 * 1024;
  // When set, every /api/v1 route needs one of the keys in this file (http/api_keys.h).
  std::string api_keys_file;
  // When set, status answers give signed, expiring result links valid this long (rounded up to
  // the minute, so that polls within a minute get the same URL), which the result route takes
  // instead of a key (http/url_signer.h).
  std::string url_signing_key_file;
  std::chrono::seconds signed_url_expiry{3600};
  // Requests per second on the /api/v1 routes per API key (per client address without keys),
  // with bursts of up to rate_burst; 0: no limit. Over it: 429 with Retry-After.
  double rate_limit = 0;
  double rate_burst = 0;  // 0: the rate, at least 1
  // Reverse proxies whose X-Forwarded-For names the client (for logs and per-address rate
  // limits): addresses and CIDR ranges, comma-separated; empty: the header is never believed.
  std::string trusted_proxies;
  // Origins of browser pages that may call the API (http/cors.h), comma-separated, or `*`
  // (refused with API keys on); empty: no CORS headers.
  std::string cors_origins;
  // Without API keys, the operator routes are off unless this lets callers on 127.0.0.0/8 and
  // ::1 use them (--admin-on-loopback). With API keys, only admin keys may.
  bool admin_on_loopback = false;
  // Variant sets an upload may name in `preset` fields (http/forms/presets.h); read once at
  // start, which fails when the file does. Empty: none.
  std::string presets_file;
  // Uploads must name presets and may not give sizes of their own (422 presets_only), so that
  // an operator decides every size and format the service produces, and caches stay small.
  bool only_presets = false;
  // An upload whose bytes, options and owner match a task whose result is still stored gets a
  // new task, SUCCESS at once, sharing that result (docs/API.md "Repeated uploads"): no resize
  // repeated. Costs a SHA-256 of each upload and a store read. Off: every upload is resized.
  bool reuse_results = true;
  // Serve only /healthz, /readyz and /metrics (a worker's --metrics-port); everything else 404.
  bool operations_only = false;
  // Longest `?wait=N` a status request may hold, in seconds (docs/API.md: 0..30).
  int max_wait_seconds = 30;
  // Native TLS, for deployments without a reverse proxy: a PEM certificate chain (the server's
  // certificate first) and its PEM private key, unencrypted. Both or neither; with both, every
  // connection on the port is TLS (1.2 or later) and plain HTTP is refused. Read once at start.
  std::string tls_cert_file;
  std::string tls_key_file;

  bool tls_enabled() const { return !tls_cert_file.empty(); }
  // Answer a result request with 307 to a presigned URL of the blob store (which then serves
  // the bytes, or a CDN in front of it) valid this long, instead of relaying the bytes. Needs a
  // store with such URLs (s3://).
  bool result_redirect = false;
  std::chrono::seconds result_redirect_expiry{300};

  core::Status validate() const;
};

}  // namespace image_resize::http
