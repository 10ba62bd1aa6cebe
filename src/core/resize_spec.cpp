#include "core/resize_spec.h"

#include <array>
#include <cctype>
#include <cstdint>
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
constexpr std::array<std::pair<OutputFormat, std::string_view>, 9> kOutputFormats{
    {{OutputFormat::same, "same"},
     {OutputFormat::jpeg, "jpeg"},
     {OutputFormat::png, "png"},
     {OutputFormat::webp, "webp"},
     {OutputFormat::avif, "avif"},
     {OutputFormat::gif, "gif"},
     {OutputFormat::tiff, "tiff"},
     {OutputFormat::jxl, "jxl"},
     {OutputFormat::automatic, "auto"}}};
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
constexpr std::array<std::pair<ImageFormat, std::string_view>, 8> kImageFormats{
    {{ImageFormat::jpeg, "jpeg"},
     {ImageFormat::png, "png"},
     {ImageFormat::webp, "webp"},
     {ImageFormat::avif, "avif"},
     {ImageFormat::heic, "heic"},
     {ImageFormat::gif, "gif"},
     {ImageFormat::tiff, "tiff"},
     {ImageFormat::jxl, "jxl"}}};
constexpr std::array<std::pair<ImageFormat, std::string_view>, 8> kMimeTypes{
    {{ImageFormat::jpeg, "image/jpeg"},
     {ImageFormat::png, "image/png"},
     {ImageFormat::webp, "image/webp"},
     {ImageFormat::avif, "image/avif"},
     {ImageFormat::heic, "image/heic"},
     {ImageFormat::gif, "image/gif"},
     {ImageFormat::tiff, "image/tiff"},
     {ImageFormat::jxl, "image/jxl"}}};
// Larger crop coordinates are refused as text: no image allowed here is this large.
constexpr int kMaxCropCoordinate = 1 << 30;

std::optional<int> crop_number(std::string_view text, int min) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < min || value > kMaxCropCoordinate) return std::nullopt;
  return static_cast<int>(value);
}

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

std::string to_string(const AcceptedFormats& accepts) {
  if (accepts.avif && accepts.webp) return "avif,webp";
  if (accepts.avif) return "avif";
  return accepts.webp ? "webp" : "";
}

std::optional<AcceptedFormats> parse_accepted_formats(std::string_view text) {
  for (const AcceptedFormats candidate :
       {AcceptedFormats{}, AcceptedFormats{true, false}, AcceptedFormats{false, true},
        AcceptedFormats{true, true}}) {
    if (to_string(candidate) == text) return candidate;
  }
  return std::nullopt;
}

std::optional<CropRect> parse_crop(std::string_view text) {
  std::array<int, 4> values{};
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::size_t comma = text.find(',');
    const bool last = i + 1 == values.size();
    if (last != (comma == std::string_view::npos)) return std::nullopt;
    const auto value = crop_number(text.substr(0, comma), i < 2 ? 0 : 1);
    if (!value) return std::nullopt;
    values[i] = *value;
    text = last ? std::string_view() : text.substr(comma + 1);
  }
  return CropRect{values[0], values[1], values[2], values[3]};
}

std::string to_string(const CropRect& crop) {
  return std::to_string(crop.x) + "," + std::to_string(crop.y) + "," + std::to_string(crop.width) +
         "," + std::to_string(crop.height);
}

Status check_crop(const ResizeSpec& spec, int upright_width, int upright_height) {
  if (!spec.crop) return {};
  const CropRect& c = *spec.crop;
  // append() rather than "crop " + ...: g++ 12 at -O3 warns falsely (-Wrestrict) on the latter.
  const std::string named = std::string("crop ").append(to_string(c));
  if (c.x < 0 || c.y < 0 || c.width < 1 || c.height < 1) {
    return Error::make(ErrorCode::invalid_crop,
                       named +
                           " is not a rectangle of the image: x and y must be at least 0, "
                           "w and h at least 1");
  }
  // In 64 bits: x + width of two large ints overflows an int.
  const long long right = static_cast<long long>(c.x) + c.width;
  const long long bottom = static_cast<long long>(c.y) + c.height;
  if (right > upright_width || bottom > upright_height) {
    const std::string w = std::to_string(upright_width);
    const std::string h = std::to_string(upright_height);
    return Error::make(ErrorCode::invalid_crop, named + " reaches outside the " + w + "x" + h +
                                                    " image; x+w must be at most " + w +
                                                    " and y+h at most " + h);
  }
  return {};
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
