// Fuzzes parse_resize_form: the fields of POST /api/v1/images/resize into a ResizeSpec.
//
// Input: form fields as `name=value` records separated by '&', taken raw (no percent-decoding);
// `name;filename=value` gives the part a filename. A record without '=' has an empty value;
// records with an empty name are skipped (the multipart parser never yields those).
//
// Properties: the form is checked against an independent reading of the rules in API.md and
// resize_form.h, with the default core::Limits and with no size limit:
//   - it succeeds exactly when no rule is broken, and then every spec field is the value the
//     rules give (width/height 1..max, quality 1..100, dpr 1..4 with width/height × dpr within
//     max, enums, true/false flags, #rrggbb[aa], defaults) and the file
//     is the `file` part's bytes, not a copy, or the `url` given instead, and the callback_url;
//   - it fails with the code of a rule that is broken, never another.
#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/limits.h"
#include "fuzz_support.h"
#include "http/forms/resize_form.h"

namespace image_resize::fuzz {
namespace {

using core::ErrorCode;

constexpr std::array<std::string_view, 16> kKnownFields{
    "file",     "url",        "width",    "height",       "fit",     "format",
    "quality",  "background", "priority", "callback_url", "gravity", "progressive",
    "lossless", "dpr",        "strip",    "crop"};
constexpr std::size_t kMaxUrlLength = 4096;

// The parts' strings live here, so the FormPart views stay valid.
std::vector<http::FormPart> read_parts(std::string_view input) {
  std::vector<http::FormPart> parts;
  while (!input.empty()) {
    const std::size_t amp = input.find('&');
    const std::string_view record = input.substr(0, amp);
    input.remove_prefix(amp == std::string_view::npos ? input.size() : amp + 1);
    const std::size_t equals = record.find('=');
    const std::string_view header = record.substr(0, equals);
    const std::string_view value =
        equals == std::string_view::npos ? std::string_view() : record.substr(equals + 1);
    const std::size_t semicolon = header.find(';');
    const std::string_view name = header.substr(0, semicolon);
    if (name.empty()) continue;
    const std::string_view filename =
        semicolon == std::string_view::npos ? std::string_view() : header.substr(semicolon + 1);
    parts.push_back(http::FormPart{std::string(name), std::string(filename), "", value});
  }
  return parts;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Digits only, any number of leading zeros, value in [min, max].
std::optional<int> expected_int(std::string_view text, int min, int max) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view significant =
      text.substr(std::min(text.find_first_not_of('0'), text.size()));
  if (significant.size() > 10) return std::nullopt;  // more than any int
  std::int64_t value = 0;
  for (char c : significant) value = value * 10 + (c - '0');
  if (value < min || value > max) return std::nullopt;
  return static_cast<int>(value);
}

std::optional<core::Rgba> expected_colour(std::string_view text) {
  if ((text.size() != 7 && text.size() != 9) || text[0] != '#') return std::nullopt;
  const std::string hex = lower(text.substr(1));
  if (hex.find_first_not_of("0123456789abcdef") != std::string::npos) return std::nullopt;
  std::array<std::uint8_t, 4> channels{0, 0, 0, 255};
  for (std::size_t i = 0; i < hex.size() / 2; ++i) {
    channels[i] = static_cast<std::uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  }
  return core::Rgba{channels[0], channels[1], channels[2], channels[3]};
}

// Four integers x,y,w,h joined by commas: digits only, x and y from 0, w and h from 1, none over
// 2^30.
std::optional<core::CropRect> expected_crop(std::string_view text) {
  std::vector<std::string_view> items;
  std::size_t start = 0;
  for (std::size_t comma = text.find(','); comma != std::string_view::npos;
       comma = text.find(',', start)) {
    items.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  items.push_back(text.substr(start));
  if (items.size() != 4) return std::nullopt;
  std::array<int, 4> values{};
  for (std::size_t i = 0; i < 4; ++i) {
    // No leading zeros beyond ten digits: the parser reads at most ten characters.
    if (items[i].size() > 10) return std::nullopt;
    const auto value = expected_int(items[i], i < 2 ? 0 : 1, 1 << 30);
    if (!value) return std::nullopt;
    values[i] = *value;
  }
  return core::CropRect{values[0], values[1], values[2], values[3]};
}

bool one_of(std::string_view text, std::initializer_list<std::string_view> names) {
  const std::string lowered = lower(text);
  for (std::string_view name : names) {
    if (lowered == name) return true;
  }
  return false;
}

class FormOracle {
 public:
  FormOracle(const std::vector<http::FormPart>& parts, int max_side) : max_side_(max_side) {
    std::map<std::string_view, int> seen;
    for (const http::FormPart& part : parts) {
      if (std::find(kKnownFields.begin(), kKnownFields.end(), part.name) == kKnownFields.end()) {
        continue;
      }
      if (++seen[part.name] == 2) broken_.insert(ErrorCode::malformed_request);
      if (!first_.contains(part.name)) first_[part.name] = &part;
    }
    check_source();
    check_sizes();
    check_option("fit", {"fill", "inside", "cover", "contain"}, ErrorCode::invalid_fit);
    check_option(
        "format",
        {"same", "auto", "jpeg", "jpg", "png", "webp", "avif", "gif", "tiff", "tif", "jxl"},
        ErrorCode::invalid_format);
    check_option("priority", {"high", "normal", "low"}, ErrorCode::invalid_priority);
    check_option("gravity",
                 {"centre", "center", "north", "south", "east", "west", "northeast", "northwest",
                  "southeast", "southwest", "attention", "entropy"},
                 ErrorCode::invalid_gravity);
    check_option("progressive", {"true", "false"}, ErrorCode::invalid_progressive);
    check_option("lossless", {"true", "false"}, ErrorCode::invalid_lossless);
    check_option("strip", {"true", "false"}, ErrorCode::invalid_strip);
    if (const auto text = value("crop"); text && !expected_crop(*text)) {
      broken_.insert(ErrorCode::invalid_crop);
    }
    check_dpr();
    if (const auto text = value("quality"); text && !expected_int(*text, 1, 100)) {
      broken_.insert(ErrorCode::invalid_quality);
    }
    if (const auto text = value("background"); text && !expected_colour(*text)) {
      broken_.insert(ErrorCode::invalid_background);
    }
  }

  const std::set<ErrorCode>& broken_rules() const { return broken_; }
  int max_side() const { return max_side_; }

  const http::FormPart* part(std::string_view name) const {
    const auto it = first_.find(name);
    return it == first_.end() ? nullptr : it->second;
  }

  // An empty optional field counts as absent (width and height: see check_sizes).
  std::optional<std::string_view> value(std::string_view name) const {
    const http::FormPart* found = part(name);
    if (found == nullptr || found->data.empty()) return std::nullopt;
    return found->data;
  }

 private:
  // Exactly one of a non-empty `file` and a `url`; the URLs at most kMaxUrlLength long.
  void check_source() {
    const http::FormPart* file = part("file");
    const bool has_file = file != nullptr && !file->data.empty();
    const auto url = value("url");
    if (url && has_file) broken_.insert(ErrorCode::conflicting_source);
    if (!url && !has_file) broken_.insert(ErrorCode::no_file);
    const auto callback = value("callback_url");
    if ((url && url->size() > kMaxUrlLength) || (callback && callback->size() > kMaxUrlLength)) {
      broken_.insert(ErrorCode::invalid_url);
    }
  }

  // A size sent empty is an error, as in the original API; absent is not (if the other is given).
  void check_sizes() {
    const http::FormPart* width = part("width");
    const http::FormPart* height = part("height");
    if ((!width && !height) || (width && !expected_int(width->data, 1, max_side_)) ||
        (height && !expected_int(height->data, 1, max_side_))) {
      broken_.insert(ErrorCode::invalid_size);
    }
  }

  // 1..4, and each size given times it still at most max_side.
  void check_dpr() {
    const auto text = value("dpr");
    if (!text) return;
    const auto dpr = expected_int(*text, 1, 4);
    if (!dpr) {
      broken_.insert(ErrorCode::invalid_dpr);
      return;
    }
    for (std::string_view name : {"width", "height"}) {
      const auto side = value(name) ? expected_int(*value(name), 1, max_side_) : std::nullopt;
      if (side && std::int64_t{*side} * *dpr > max_side_) broken_.insert(ErrorCode::invalid_dpr);
    }
  }

  void check_option(std::string_view name, std::initializer_list<std::string_view> allowed,
                    ErrorCode code) {
    if (const auto text = value(name); text && !one_of(*text, allowed)) broken_.insert(code);
  }

  const int max_side_;
  std::map<std::string_view, const http::FormPart*, std::less<>> first_;
  std::set<ErrorCode> broken_;
};

// The enum field `name` was absent (the default applies) or names `chosen`, in any case.
void check_enum(const FormOracle& oracle, std::string_view name, std::string_view chosen,
                std::string_view default_name) {
  const auto text = oracle.value(name);
  if (!text) {
    FUZZ_CHECK(chosen == default_name);
    return;
  }
  std::string sent = lower(*text);
  if (sent == "jpg") sent = "jpeg";
  if (sent == "tif") sent = "tiff";
  if (sent == "center") sent = "centre";
  FUZZ_CHECK(sent == chosen);
}

void check_spec(const FormOracle& oracle, const http::ResizeForm& form) {
  const auto url = oracle.value("url");
  if (url) {
    FUZZ_CHECK(form.source_url == *url && form.file.empty());
  } else {
    const http::FormPart* file = oracle.part("file");
    FUZZ_CHECK(file != nullptr && !form.file.empty() && form.source_url.empty());
    FUZZ_CHECK(form.file.data() == file->data.data() && form.file.size() == file->data.size());
    FUZZ_CHECK(form.filename == file->filename);
  }
  FUZZ_CHECK(form.callback_url == oracle.value("callback_url").value_or(""));
  const core::ResizeSpec& spec = form.spec;
  FUZZ_CHECK(spec.width || spec.height);
  const std::array<std::pair<std::string_view, std::optional<int>>, 2> sides{
      {{"width", spec.width}, {"height", spec.height}}};
  for (const auto& [name, side] : sides) {
    const auto text = oracle.value(name);
    FUZZ_CHECK(side == (text ? expected_int(*text, 1, oracle.max_side()) : std::nullopt));
    FUZZ_CHECK(!side || (*side >= 1 && *side <= oracle.max_side()));
  }
  const auto quality = oracle.value("quality");
  FUZZ_CHECK(spec.quality == (quality ? *expected_int(*quality, 1, 100) : 80));
  FUZZ_CHECK(spec.quality >= 1 && spec.quality <= 100);
  const auto background = oracle.value("background");
  FUZZ_CHECK(spec.background == (background ? expected_colour(*background) : std::nullopt));
  check_enum(oracle, "fit", core::to_string(spec.fit), "fill");
  check_enum(oracle, "format", core::to_string(spec.format), "same");
  check_enum(oracle, "priority", core::to_string(spec.priority), "normal");
  check_enum(oracle, "gravity", core::to_string(spec.gravity), "centre");
  check_enum(oracle, "progressive", spec.progressive ? "true" : "false", "false");
  check_enum(oracle, "lossless", spec.lossless ? "true" : "false", "false");
  check_enum(oracle, "strip", spec.strip ? "true" : "false", "true");
  const auto crop = oracle.value("crop");
  FUZZ_CHECK(spec.crop == (crop ? expected_crop(*crop) : std::nullopt));
  FUZZ_CHECK(spec.accepts == core::AcceptedFormats{});
  const auto dpr = oracle.value("dpr");
  FUZZ_CHECK(spec.dpr == (dpr ? *expected_int(*dpr, 1, 4) : 1));
}

void check_form(const std::vector<http::FormPart>& parts, const core::Limits& limits) {
  const int max_side =
      limits.max_output_side > 0 ? limits.max_output_side : std::numeric_limits<int>::max();
  const FormOracle oracle(parts, max_side);
  const auto form = http::parse_resize_form(parts, limits);
  FUZZ_CHECK(form.ok() == oracle.broken_rules().empty());
  if (form.ok()) {
    check_spec(oracle, *form);
  } else {
    FUZZ_CHECK(oracle.broken_rules().contains(form.error().code));
    FUZZ_CHECK(!form.error().public_message.empty());
  }
}

}  // namespace
}  // namespace image_resize::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace image_resize;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::vector<http::FormPart> parts = fuzz::read_parts(input);
  fuzz::check_form(parts, core::Limits{});
  core::Limits unlimited;
  unlimited.max_output_side = 0;
  fuzz::check_form(parts, unlimited);
  return 0;
}
