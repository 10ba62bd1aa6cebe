#pragma once
// The one way the service makes requests of its own (images by URL, webhooks): http and https
// only, to addresses the AddressGuard allows. Each host is resolved once, every address it
// resolves to is checked, and the connection goes to those addresses (no second lookup, so DNS
// rebinding cannot swap in another). Redirects are followed by hand, each target checked again.
// Timeouts for connecting, for silence and in total; the body is capped while it is read.
// Proxies of the environment are honoured as libcurl reads them: http_proxy (lowercase only, as
// HTTP_PROXY may be set by CGI request headers), HTTPS_PROXY, ALL_PROXY and NO_PROXY (either
// case). Through a proxy, the proxy resolves and connects: the check here is still made first.
// Built on libcurl (already the S3 store's transport: TLS, proxies and timeouts done right).
// Thread safety: any method from any thread at once.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "outbound/address_guard.h"
#include "outbound/outbound_url.h"

namespace image_resize::outbound {

struct OutboundConfig {
  AddressGuard guard;  // denies the private, loopback, link-local, ... ranges unless allowed
  std::chrono::milliseconds connect_timeout{5'000};
  // No byte received for this long ends the request.
  std::chrono::milliseconds idle_timeout{10'000};
  std::chrono::milliseconds total_timeout{30'000};
  int max_redirects = 3;
};

// Takes the body of a 2xx answer chunk by chunk as it arrives; an error stops the transfer and
// is what fetch() returns (a caller's own limit, such as the pixel limit read from the header).
using BodySink = std::function<core::Status(std::string_view chunk)>;

struct FetchLimits {
  std::uint64_t max_bytes = 0;                 // 0: no cap
  std::chrono::milliseconds total_timeout{0};  // 0: the client's
};

struct OutboundResponse {
  int status = 0;
  std::string final_url;  // after redirects
  std::string content_type;
  std::string body;  // of an answer that is not 2xx (cut at a few KiB), or when no sink
};

class OutboundClient {
 public:
  explicit OutboundClient(OutboundConfig config);
  ~OutboundClient();
  OutboundClient(const OutboundClient&) = delete;
  OutboundClient& operator=(const OutboundClient&) = delete;

  // What the API checks before it accepts a URL: its form (invalid_url) and the guard's decision
  // on its host (url_forbidden), resolving a name once. A name that does not resolve passes here:
  // the fetch reports it (source_unreachable).
  // Messages name `field`, the form field the URL came in.
  core::Result<OutboundUrl> check(std::string_view url, std::string_view field = "url") const;

  // GET `url`, following redirects. Any HTTP status is an answer (the caller judges it); errors
  // only when none came: invalid_url, source_forbidden (the URL or a redirect went to a denied
  // address, or a redirect to a URL that is not http(s), or has user info), source_unreachable,
  // source_timeout, source_too_large (over limits.max_bytes, by Content-Length or while reading),
  // source_http_error (more than max_redirects redirects; the message names the last status),
  // or the sink's own error. The idle timeout counts from the start: a source that accepts the
  // connection and never answers ends there. Content-Length over max_bytes ends any answer, a
  // non-2xx one too; a non-2xx body is read up to 4 KiB, then the connection is dropped.
  core::Result<OutboundResponse> get(std::string_view url, const FetchLimits& limits,
                                     const BodySink& sink);

  // POST `body` with `headers` ("Name: value"), redirects not followed, within `timeout`.
  // The same errors as get().
  core::Result<OutboundResponse> post(std::string_view url, std::string_view body,
                                      const std::vector<std::string>& headers,
                                      std::chrono::milliseconds timeout);

  const OutboundConfig& config() const { return config_; }

 private:
  const OutboundConfig config_;
};

}  // namespace image_resize::outbound
