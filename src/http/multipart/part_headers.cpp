#include "http/multipart/part_headers.h"

#include "http/multipart/header_params.h"
#include "http/multipart/text.h"

namespace image_resize::http {
namespace {

constexpr std::string_view kCrlf = "\r\n";

core::Error malformed(std::string message) {
  return core::Error::make(core::ErrorCode::malformed_request, std::move(message));
}

bool has_control_char(std::string_view line) {
  for (char c : line) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte == 0x7f) return true;
  }
  return false;
}

// RFC 5987 ext-value `UTF-8'lang'percent-encoded`; nullopt for other charsets or bad escapes,
// in which case the plain filename parameter is used.
std::optional<std::string> decode_ext_value(std::string_view value) {
  const std::size_t first = value.find('\'');
  if (first == std::string_view::npos) return std::nullopt;
  const std::size_t second = value.find('\'', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  if (!text::iequals(value.substr(0, first), "utf-8")) return std::nullopt;
  return text::percent_decode(value.substr(second + 1), /*plus_as_space=*/false);
}

core::Status read_disposition(std::string_view value, PartHeaders& headers) {
  auto disposition = parse_header_value(value);
  if (!disposition) return malformed("Content-Disposition: " + disposition.error().public_message);
  if (!text::iequals(disposition->value, "form-data")) {
    return malformed("a part's Content-Disposition must be form-data");
  }
  const std::string* name = disposition->parameter("name");
  if (name == nullptr || name->empty()) {
    return malformed("a part has a Content-Disposition without a form-data name");
  }
  headers.name = *name;
  if (const std::string* filename = disposition->parameter("filename"))
    headers.filename = *filename;
  if (const std::string* extended = disposition->parameter("filename*")) {
    if (auto decoded = decode_ext_value(*extended)) headers.filename = std::move(*decoded);
  }
  return {};
}

}  // namespace

core::Result<PartHeaders> parse_part_headers(std::string_view block) {
  PartHeaders headers;
  bool seen_disposition = false;
  bool seen_content_type = false;
  while (!block.empty()) {
    const std::size_t end = block.find(kCrlf);
    const std::string_view line = block.substr(0, end);
    block.remove_prefix(end == std::string_view::npos ? block.size() : end + kCrlf.size());
    if (has_control_char(line)) return malformed("a part header has a control character");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || !text::is_token(line.substr(0, colon))) {
      return malformed("a part header line is not 'Name: value'");
    }
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = text::trim_ows(line.substr(colon + 1));
    if (text::iequals(name, "content-disposition")) {
      if (seen_disposition) return malformed("a part has two Content-Disposition headers");
      seen_disposition = true;
      if (auto status = read_disposition(value, headers); !status) return status.error();
    } else if (text::iequals(name, "content-type")) {
      if (seen_content_type) return malformed("a part has two Content-Type headers");
      seen_content_type = true;
      headers.content_type = std::string(value);
    }
  }
  if (!seen_disposition) {
    return malformed("a part has no 'Content-Disposition: form-data; name=...' header");
  }
  return headers;
}

}  // namespace image_resize::http
