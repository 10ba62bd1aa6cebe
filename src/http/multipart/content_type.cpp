#include "http/multipart/content_type.h"

#include "http/multipart/text.h"

namespace image_resize::http {
namespace {

constexpr std::string_view kFormData = "multipart/form-data";
constexpr std::size_t kMaxBoundaryLength = 70;  // RFC 2046 §5.1.1

// RFC 2046 bchars: the characters a boundary may contain.
bool is_boundary_char(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

bool is_valid_boundary(std::string_view boundary) {
  if (boundary.empty() || boundary.size() > kMaxBoundaryLength || boundary.back() == ' ') {
    return false;
  }
  for (char c : boundary) {
    if (!is_boundary_char(c)) return false;
  }
  return true;
}

core::Error malformed(std::string message) {
  return core::Error::make(core::ErrorCode::malformed_request, std::move(message));
}

}  // namespace

const std::string* ContentType::parameter(std::string_view lowercase_name) const {
  const auto it = parameters.find(lowercase_name);
  return it == parameters.end() ? nullptr : &it->second;
}

core::Result<ContentType> parse_content_type(std::string_view header_value) {
  auto header = parse_header_value(header_value);
  if (!header) return malformed("Content-Type: " + header.error().public_message);
  const std::string_view media = header->value;
  const std::size_t slash = media.find('/');
  if (slash == std::string_view::npos || !text::is_token(media.substr(0, slash)) ||
      !text::is_token(media.substr(slash + 1))) {
    return malformed("Content-Type: expected a media type such as multipart/form-data");
  }
  return ContentType{text::ascii_lower(media), std::move(header->parameters)};
}

core::Result<std::string> form_data_boundary(std::string_view header_value) {
  // Decide "is it form data at all" before the parameters, so that e.g. `application/json` is
  // 415 even with odd parameters, while a broken multipart header is 400.
  const std::string_view media = text::trim_ows(header_value.substr(0, header_value.find(';')));
  if (!text::iequals(media, kFormData)) {
    return core::Error::make(core::ErrorCode::unsupported_media_type,
                             "the request body must be multipart/form-data",
                             "Content-Type was '" + std::string(header_value) + "'");
  }
  auto content_type = parse_content_type(header_value);
  if (!content_type) return content_type.error();
  const std::string* boundary = content_type->parameter("boundary");
  if (boundary == nullptr) {
    return malformed("Content-Type multipart/form-data needs a boundary parameter");
  }
  if (!is_valid_boundary(*boundary)) {
    return malformed(
        "the multipart boundary must be 1 to 70 letters, digits or '()+_,-./:=? characters, "
        "not ending in a space");
  }
  return *boundary;
}

}  // namespace image_resize::http
