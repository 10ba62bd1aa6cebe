#pragma once
// One request of the OutboundClient through libcurl, no redirect followed: to the addresses
// already checked (CURLOPT_RESOLVE pins the name to them), with the connect, idle and total
// timeouts and the body cap. The client loops over these for redirects.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "outbound/outbound_client.h"
#include "outbound/outbound_url.h"

namespace image_resize::outbound {

struct Hop {
  std::string_view method = "GET";  // or "POST"
  const OutboundUrl* url = nullptr;
  std::vector<std::string> addresses;                 // checked; the connection goes to one of them
  std::string_view body;                              // of a POST
  const std::vector<std::string>* headers = nullptr;  // "Name: value"
  std::chrono::milliseconds connect_timeout{0};
  std::chrono::milliseconds idle_timeout{0};
  std::chrono::milliseconds total_timeout{0};  // what is left of the request's
  std::uint64_t max_bytes = 0;                 // of a 2xx body; 0: no cap
  const BodySink* sink = nullptr;              // takes a 2xx body; none: kept in `body`
  std::string_view what = "the source";        // in public messages
};

struct HopAnswer {
  int status = 0;
  std::string content_type;
  std::string redirect_url;  // absolute, from Location, when the status is 3xx
  std::string body;          // a 2xx body without a sink, or the start of another's
};

// An answer of any status, or source_unreachable, source_timeout, source_too_large, the sink's
// error.
core::Result<HopAnswer> perform_hop(const Hop& hop);

}  // namespace image_resize::outbound
