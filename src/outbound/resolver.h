#pragma once
// One lookup of a host name (getaddrinfo): every address it gives, so that each is checked and
// the connection is pinned to them.

#include <string>
#include <vector>

#include "core/result.h"

namespace image_resize::outbound {

// The host's IPv4 and IPv6 addresses as text, without duplicates, in the resolver's order; an
// error (source_unreachable, the resolver's message inside) when it has none.
core::Result<std::vector<std::string>> resolve_host(const std::string& host);

}  // namespace image_resize::outbound
