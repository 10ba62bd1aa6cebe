#include "http/forms/query.h"

#include "http/multipart/text.h"

namespace image_resize::http {
namespace {

core::Error malformed(std::string message) {
  return core::Error::make(core::ErrorCode::malformed_request, std::move(message));
}

}  // namespace

const std::string* RequestTarget::param(std::string_view name) const {
  const auto it = query.find(name);
  return it == query.end() ? nullptr : &it->second;
}

core::Result<RequestTarget> parse_query(std::string_view target) {
  target = target.substr(0, target.find('#'));
  const std::size_t question = target.find('?');
  RequestTarget result{std::string(target.substr(0, question)), {}};
  if (question == std::string_view::npos) return result;
  std::string_view rest = target.substr(question + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view segment = rest.substr(0, amp);
    rest.remove_prefix(amp == std::string_view::npos ? rest.size() : amp + 1);
    if (segment.empty()) continue;
    const std::size_t equals = segment.find('=');
    auto name = text::percent_decode(segment.substr(0, equals), /*plus_as_space=*/true);
    auto value = equals == std::string_view::npos
                     ? std::optional<std::string>("")
                     : text::percent_decode(segment.substr(equals + 1), /*plus_as_space=*/true);
    if (!name || !value) {
      return malformed("the query string has an invalid percent escape; use %XX with hex digits");
    }
    if (name->empty()) continue;  // "=value" names nothing
    if (result.query.contains(*name)) {
      return malformed("the query parameter '" + *name + "' is given more than once");
    }
    result.query.emplace(std::move(*name), std::move(*value));
  }
  return result;
}

}  // namespace image_resize::http
