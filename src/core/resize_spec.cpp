#include "core/resize_spec.h"

#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace image_resize::core {
namespace {

// One table per enum keeps names and values in one place for both directions.
template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "";
}

template <class E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view text) {
  for (const auto& [v, name] : table) {
    if (name == text) return v;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<Fit, std::string_view>, 4> kFits{{{Fit::fill, "fill"},
                                                                 {Fit::inside, "inside"},
                                                                 {Fit::cover, "cover"},
                                                                 {Fit::contain, "contain"}}};
constexpr std::array<std::pair<OutputFormat, std::string_view>, 7> kOutputFormats{
    {{OutputFormat::same, "same"},
     {OutputFormat::jpeg, "jpeg"},
     {OutputFormat::png, "png"},
     {OutputFormat::webp, "webp"},
     {OutputFormat::avif, "avif"},
     {OutputFormat::gif, "gif"},
     {OutputFormat::tiff, "tiff"}}};
constexpr std::array<std::pair<Priority, std::string_view>, 3> kPriorities{
    {{Priority::high, "high"}, {Priority::normal, "normal"}, {Priority::low, "low"}}};
constexpr std::array<std::pair<Gravity, std::string_view>, 11> kGravities{
    {{Gravity::centre, "centre"},
     {Gravity::north, "north"},
     {Gravity::south, "south"},
     {Gravity::east, "east"},
     {Gravity::west, "west"},
     {Gravity::northeast, "northeast"},
     {Gravity::northwest, "northwest"},
     {Gravity::southeast, "southeast"},
     {Gravity::southwest, "southwest"},
     {Gravity::attention, "attention"},
     {Gravity::entropy, "entropy"}}};
constexpr std::array<std::pair<ImageFormat, std::string_view>, 7> kImageFormats{
    {{ImageFormat::jpeg, "jpeg"},
     {ImageFormat::png, "png"},
     {ImageFormat::webp, "webp"},
     {ImageFormat::avif, "avif"},
     {ImageFormat::heic, "heic"},
     {ImageFormat::gif, "gif"},
     {ImageFormat::tiff, "tiff"}}};
constexpr std::array<std::pair<ImageFormat, std::string_view>, 7> kMimeTypes{
    {{ImageFormat::jpeg, "image/jpeg"},
     {ImageFormat::png, "image/png"},
     {ImageFormat::webp, "image/webp"},
     {ImageFormat::avif, "image/avif"},
     {ImageFormat::heic, "image/heic"},
     {ImageFormat::gif, "image/gif"},
     {ImageFormat::tiff, "image/tiff"}}};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower >= 'a' && lower <= 'f') return lower - 'a' + 10;
  return -1;
}

}  // namespace

std::string_view to_string(Fit fit) { return name_of(kFits, fit); }
std::string_view to_string(OutputFormat format) { return name_of(kOutputFormats, format); }
std::string_view to_string(Priority priority) { return name_of(kPriorities, priority); }
std::string_view to_string(ImageFormat format) { return name_of(kImageFormats, format); }
std::string_view to_string(Gravity gravity) { return name_of(kGravities, gravity); }
std::string_view mime_type(ImageFormat format) { return name_of(kMimeTypes, format); }
std::optional<Fit> parse_fit(std::string_view text) { return value_of(kFits, text); }
std::optional<OutputFormat> parse_output_format(std::string_view text) {
  return value_of(kOutputFormats, text);
}
std::optional<Priority> parse_priority(std::string_view text) {
  return value_of(kPriorities, text);
}
std::optional<ImageFormat> parse_image_format(std::string_view text) {
  return value_of(kImageFormats, text);
}
std::optional<Gravity> parse_gravity(std::string_view text) { return value_of(kGravities, text); }

std::optional<int> device_pixels(std::optional<int> side, int dpr) {
  if (!side) return std::nullopt;
  return *side * dpr;
}

std::optional<Rgba> parse_rgba(std::string_view text) {
  if ((text.size() != 7 && text.size() != 9) || text.front() != '#') return std::nullopt;
  std::array<std::uint8_t, 4> channels{0, 0, 0, 255};
  for (std::size_t i = 0; i * 2 + 1 < text.size(); ++i) {
    const int high = hex_value(text[1 + 2 * i]);
    const int low = hex_value(text[2 + 2 * i]);
    if (high < 0 || low < 0) return std::nullopt;
    channels[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  return Rgba{channels[0], channels[1], channels[2], channels[3]};
}

std::string format_rgba(const Rgba& colour) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text = "#";
  for (std::uint8_t channel : {colour.r, colour.g, colour.b, colour.a}) {
    text.push_back(kHex[channel >> 4]);
    text.push_back(kHex[channel & 0x0F]);
  }
  return text;
}

}  // namespace image_resize::core
