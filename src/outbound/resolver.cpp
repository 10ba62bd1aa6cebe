#include "outbound/resolver.h"

#include <arpa/inet.h>
#include <netdb.h>

#include <algorithm>
#include <memory>

namespace image_resize::outbound {
namespace {

struct AddrinfoFree {
  void operator()(addrinfo* list) const { freeaddrinfo(list); }
};

std::string address_text(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text, sizeof text);
  } else if (address->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text,
              sizeof text);
  }
  return text;
}

}  // namespace

core::Result<std::vector<std::string>> resolve_host(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int code = getaddrinfo(host.c_str(), nullptr, &hints, &found);
  const std::unique_ptr<addrinfo, AddrinfoFree> list(found);
  std::vector<std::string> addresses;
  for (const addrinfo* entry = list.get(); code == 0 && entry != nullptr; entry = entry->ai_next) {
    std::string text = address_text(entry->ai_addr);
    if (!text.empty() && std::find(addresses.begin(), addresses.end(), text) == addresses.end()) {
      addresses.push_back(std::move(text));
    }
  }
  if (addresses.empty()) {
    return core::Error::make(
        core::ErrorCode::source_unreachable, "The host name was not found",
        "getaddrinfo(" + host + "): " + (code != 0 ? gai_strerror(code) : "no address"));
  }
  return addresses;
}

}  // namespace image_resize::outbound
