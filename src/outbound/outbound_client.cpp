#include "outbound/outbound_client.h"

#include <curl/curl.h>

#include <algorithm>

#include "outbound/resolver.h"
#include "outbound/transfer.h"

namespace image_resize::outbound {
namespace {

using Clock = std::chrono::steady_clock;

// What a request is for, in its messages: the form field its URL came in and what to call it.
struct Purpose {
  std::string_view field;
  std::string_view what;
};
constexpr Purpose kSource{.field = "url", .what = "the source"};
constexpr Purpose kCallback{.field = "callback_url", .what = "the callback URL"};

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// The host's addresses, each allowed by the guard; `denied` when one is not. A name that does
// not resolve is source_unreachable.
core::Result<std::vector<std::string>> allowed_addresses(const AddressGuard& guard,
                                                         const OutboundUrl& url,
                                                         core::ErrorCode denied,
                                                         std::string public_message) {
  auto addresses = url.host_is_address ? core::Result<std::vector<std::string>>({url.host})
                                       : resolve_host(url.host);
  if (!addresses.ok()) return addresses;
  for (const std::string& address : *addresses) {
    const GuardDecision decision = guard.decide(address);
    if (!decision.allowed) {
      return core::Error::make(denied, std::move(public_message),
                               "outbound: " + url.url + ": " + url.host + " is " + address +
                                   ", denied: " + decision.reason);
    }
  }
  return addresses;
}

core::Error forbidden_source(const OutboundUrl& url, std::string_view what,
                             const core::Error& cause) {
  return core::Error::make(core::ErrorCode::source_forbidden,
                           std::string(what) +
                               ", or a redirect from it, went to an address this service does "
                               "not connect to",
                           "outbound: " + url.url + ": " + cause.log_message());
}

OutboundResponse response_of(const OutboundUrl& url, HopAnswer answer) {
  return OutboundResponse{.status = answer.status,
                          .final_url = url.url,
                          .content_type = std::move(answer.content_type),
                          .body = std::move(answer.body)};
}

std::chrono::milliseconds left_until(Clock::time_point deadline) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
}

// One request to `url`'s checked addresses.
core::Result<HopAnswer> fetch_once(const OutboundConfig& config, const OutboundUrl& url, Hop hop) {
  const std::string_view what = hop.what;
  if (hop.total_timeout.count() <= 0) {
    return core::Error::make(core::ErrorCode::source_timeout, std::string(what) + " took too long",
                             "outbound: " + url.url + ": no time left for it");
  }
  auto addresses = allowed_addresses(config.guard, url, core::ErrorCode::source_forbidden, {});
  if (!addresses.ok()) {
    if (addresses.error().code != core::ErrorCode::source_forbidden) return addresses.error();
    return forbidden_source(url, what, addresses.error());
  }
  hop.addresses = std::move(addresses).value();
  hop.connect_timeout = config.connect_timeout;
  hop.idle_timeout = config.idle_timeout;
  return perform_hop(hop);
}

core::Error too_many_redirects(const OutboundConfig& config, const OutboundUrl& url, int status) {
  return core::Error::make(core::ErrorCode::source_http_error,
                           "The source redirected more than " +
                               std::to_string(config.max_redirects) +
                               " times (the last answer "
                               "was " +
                               std::to_string(status) + ")",
                           "outbound: " + url.url + " answered " + std::to_string(status) +
                               " after " + std::to_string(config.max_redirects) + " redirects");
}

}  // namespace

OutboundClient::OutboundClient(OutboundConfig config) : config_(std::move(config)) {
  // Idempotent, and the start-up thread builds the client before other threads use curl.
  static const CURLcode initialised = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)initialised;
}

OutboundClient::~OutboundClient() = default;

core::Result<OutboundUrl> OutboundClient::check(std::string_view url,
                                                std::string_view field) const {
  auto parsed = parse_outbound_url(url, field);
  if (!parsed.ok()) return parsed;
  const auto addresses = allowed_addresses(
      config_.guard, *parsed, core::ErrorCode::url_forbidden,
      std::string(field) +
          ": its host is, or resolves to, an address this service does not connect to "
          "(private, loopback, link-local or reserved); send the URL of a public host");
  if (!addresses.ok() && addresses.error().code == core::ErrorCode::url_forbidden) {
    return addresses.error();
  }
  return parsed;  // a name that does not resolve now is the fetch's to report
}

core::Result<OutboundResponse> OutboundClient::get(std::string_view url, const FetchLimits& limits,
                                                   const BodySink& sink) {
  const auto total =
      limits.total_timeout.count() > 0 ? limits.total_timeout : config_.total_timeout;
  const Clock::time_point deadline = Clock::now() + total;
  auto parsed = parse_outbound_url(url, kSource.field);
  if (!parsed.ok()) return parsed.error();
  OutboundUrl current = std::move(parsed).value();
  for (int redirects = 0;; ++redirects) {
    Hop hop;
    hop.url = &current;
    hop.total_timeout = left_until(deadline);
    hop.max_bytes = limits.max_bytes;
    hop.sink = &sink;
    hop.what = kSource.what;
    auto answer = fetch_once(config_, current, std::move(hop));
    if (!answer.ok()) return answer.error();
    if (!is_redirect(answer->status) || answer->redirect_url.empty()) {
      return response_of(current, std::move(answer).value());
    }
    if (redirects == config_.max_redirects) {
      return too_many_redirects(config_, current, answer->status);
    }
    auto next = parse_outbound_url(answer->redirect_url, kSource.field);
    if (!next.ok()) return forbidden_source(current, kSource.what, next.error());
    current = std::move(next).value();
  }
}

core::Result<OutboundResponse> OutboundClient::post(std::string_view url, std::string_view body,
                                                    const std::vector<std::string>& headers,
                                                    std::chrono::milliseconds timeout) {
  auto parsed = parse_outbound_url(url, kCallback.field);
  if (!parsed.ok()) return parsed.error();
  const BodySink none;
  Hop hop;
  hop.method = "POST";
  hop.url = &*parsed;
  hop.body = body;
  hop.headers = &headers;
  hop.total_timeout = timeout.count() > 0 ? timeout : config_.total_timeout;
  hop.sink = &none;
  hop.what = kCallback.what;
  auto answer = fetch_once(config_, *parsed, std::move(hop));
  if (!answer.ok()) return answer.error();
  return response_of(*parsed, std::move(answer).value());
}

}  // namespace image_resize::outbound
