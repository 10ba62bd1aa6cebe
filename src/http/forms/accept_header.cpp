#include "http/forms/accept_header.h"

#include <charconv>

#include "core/comma_list.h"
#include "http/multipart/header_params.h"
#include "http/multipart/text.h"

namespace image_resize::http {
namespace {

// The q parameter: a number from 0 to 1; absent means 1, unreadable means 0.
double quality_of(const HeaderValue& item) {
  const std::string* q = item.parameter("q");
  if (q == nullptr) return 1.0;
  double value = 0.0;
  const auto [end, error] = std::from_chars(q->data(), q->data() + q->size(), value);
  if (error != std::errc() || end != q->data() + q->size()) return 0.0;
  return value;
}

}  // namespace

core::AcceptedFormats accepted_image_formats(std::string_view accept) {
  core::AcceptedFormats accepts;
  for (std::string_view text : core::comma_separated(accept)) {
    auto item = parse_header_value(text);
    if (!item.ok() || quality_of(*item) <= 0.0) continue;
    const std::string type = text::ascii_lower(item->value);
    if (type == "image/avif") accepts.avif = true;
    if (type == "image/webp") accepts.webp = true;
  }
  return accepts;
}

}  // namespace image_resize::http
