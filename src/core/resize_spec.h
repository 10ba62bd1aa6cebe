#pragma once
// What a client asked for: the target size and the options of docs/API.md, already validated.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace image_resize::core {

enum class Fit { fill, inside, cover, contain };
// automatic ("auto"): chosen by the worker from the formats the client accepts (AcceptedFormats).
enum class OutputFormat { same, jpeg, png, webp, avif, gif, tiff, jxl, automatic };
enum class Priority { high, normal, low };
// Every priority, most urgent first: the order of arrays indexed by Priority.
constexpr std::array<Priority, 3> kAllPriorities{Priority::high, Priority::normal, Priority::low};
// fit=cover: which part of the scaled image the crop keeps. The compass names place the crop
// window; attention and entropy let libvips' smartcrop find the most interesting part.
enum class Gravity {
  centre,
  north,
  south,
  east,
  west,
  northeast,
  northwest,
  southeast,
  southwest,
  attention,
  entropy
};

// The concrete formats an image can be in (input) or be written as (output).
enum class ImageFormat { jpeg, png, webp, avif, heic, gif, tiff, jxl };

// The modern formats a client said it reads (its upload request's Accept header), for format=auto.
struct AcceptedFormats {
  bool avif = false;
  bool webp = false;
  bool operator==(const AcceptedFormats&) const = default;
};

struct Rgba {
  std::uint8_t r = 0, g = 0, b = 0, a = 255;
  bool operator==(const Rgba&) const = default;
};

// A rectangle of the source image, in pixels of the upright image (after EXIF rotation).
struct CropRect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
  bool operator==(const CropRect&) const = default;
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
  Gravity gravity = Gravity::centre;  // used by Fit::cover only
  int dpr = 1;                        // 1..4: width and height are multiplied by it
  bool progressive = false;           // progressive jpeg, interlaced png and gif
  bool lossless = false;              // lossless webp and avif
  bool strip = true;                  // false: keep EXIF, XMP, IPTC and the ICC profile
  std::optional<CropRect> crop;       // cut from the source before the resize
  AcceptedFormats accepts;            // for OutputFormat::automatic; none for other formats

  bool operator==(const ResizeSpec&) const = default;
};

inline constexpr int kDefaultQuality = 80;
inline constexpr int kMaxDpr = 4;

// Whether spec.crop (if any) lies inside an image of `upright_width` × `upright_height` (one
// frame, after EXIF rotation): x, y ≥ 0, width, height ≥ 1, x + width ≤ upright_width and
// y + height ≤ upright_height. Otherwise invalid_crop, with a message for the client naming the
// crop and the image's size. Used at upload (with the probed size) and by the resize itself.
Status check_crop(const ResizeSpec& spec, int upright_width, int upright_height);

// A side asked for, in output pixels: `side` × `dpr`.
std::optional<int> device_pixels(std::optional<int> side, int dpr);

std::string_view to_string(Fit fit);
std::string_view to_string(OutputFormat format);
std::string_view to_string(Priority priority);
std::string_view to_string(ImageFormat format);
std::string_view to_string(Gravity gravity);
std::optional<Fit> parse_fit(std::string_view text);
std::optional<OutputFormat> parse_output_format(std::string_view text);
std::optional<Priority> parse_priority(std::string_view text);
std::optional<ImageFormat> parse_image_format(std::string_view text);
std::optional<Gravity> parse_gravity(std::string_view text);
// "avif,webp", "avif", "webp" or "": the stored and wire form.
std::string to_string(const AcceptedFormats& accepts);
std::optional<AcceptedFormats> parse_accepted_formats(std::string_view text);
// "x,y,w,h": four decimal integers, x and y from 0, w and h from 1 (checked against an image by
// check_crop).
std::optional<CropRect> parse_crop(std::string_view text);
std::string to_string(const CropRect& crop);
// "#rrggbb" or "#rrggbbaa", case-insensitive.
std::optional<Rgba> parse_rgba(std::string_view text);
// "#rrggbbaa", lowercase.
std::string format_rgba(const Rgba& colour);
// The MIME type served for a result, e.g. "image/png".
std::string_view mime_type(ImageFormat format);

}  // namespace image_resize::core
