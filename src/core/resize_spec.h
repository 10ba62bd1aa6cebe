#pragma once
// What a client asked for: the target size and the options of docs/API.md, already validated.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace image_resize::core {

enum class Fit { fill, inside, cover, contain };
enum class OutputFormat { same, jpeg, png, webp, avif, gif, tiff };
enum class Priority { high, normal, low };

// The concrete formats an image can be in (input) or be written as (output).
enum class ImageFormat { jpeg, png, webp, avif, heic, gif, tiff };

struct Rgba {
  std::uint8_t r = 0, g = 0, b = 0, a = 255;
  bool operator==(const Rgba&) const = default;
};

struct ResizeSpec {
  std::optional<int> width;  // at least one of width and height is set
  std::optional<int> height;
  Fit fit = Fit::fill;
  OutputFormat format = OutputFormat::same;
  int quality = 80;  // 1..100, used by lossy formats
  std::optional<Rgba>
      background;  // for Fit::contain; unset = transparent if the format has alpha, else white
  Priority priority = Priority::normal;

  bool operator==(const ResizeSpec&) const = default;
};

inline constexpr int kDefaultQuality = 80;

std::string_view to_string(Fit fit);
std::string_view to_string(OutputFormat format);
std::string_view to_string(Priority priority);
std::string_view to_string(ImageFormat format);
std::optional<Fit> parse_fit(std::string_view text);
std::optional<OutputFormat> parse_output_format(std::string_view text);
std::optional<Priority> parse_priority(std::string_view text);
std::optional<ImageFormat> parse_image_format(std::string_view text);
// "#rrggbb" or "#rrggbbaa", case-insensitive.
std::optional<Rgba> parse_rgba(std::string_view text);
// "#rrggbbaa", lowercase.
std::string format_rgba(const Rgba& colour);
// The MIME type served for a result, e.g. "image/png".
std::string_view mime_type(ImageFormat format);

}  // namespace image_resize::core
