#pragma once
// A URL the service may request: http or https, a host, no user name or password (they would
// end up in logs), parsed and normalised by libcurl's URL parser, which is the one the request
// then uses, so what is checked is what is fetched (0x7f.1, 2130706433 and 127.1 all become
// 127.0.0.1).

#include <string>
#include <string_view>

#include "core/result.h"

namespace image_resize::outbound {

struct OutboundUrl {
  std::string url;     // normalised, without a fragment
  std::string scheme;  // "http" or "https"
  std::string host;    // a name, a dotted IPv4 address or an IPv6 address without brackets
  int port = 0;        // the default of the scheme when the URL names none
  bool host_is_address = false;
};

// invalid_url, with a public message that says what is wrong, naming `field` ("url",
// "callback_url").
core::Result<OutboundUrl> parse_outbound_url(std::string_view text, std::string_view field = "url");

}  // namespace image_resize::outbound
