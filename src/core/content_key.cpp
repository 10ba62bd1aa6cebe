#include "core/content_key.h"

#include "core/sha256.h"

namespace image_resize::core {
namespace {

void add(std::string& text, std::string_view name, std::string_view value) {
  text.append(name).append("=").append(value).append("\n");
}

std::string optional_side(const std::optional<int>& side) {
  return side ? std::to_string(*side) : std::string();
}

}  // namespace

std::string canonical_spec(const ResizeSpec& spec) {
  std::string text;
  add(text, "width", optional_side(spec.width));
  add(text, "height", optional_side(spec.height));
  add(text, "fit", to_string(spec.fit));
  add(text, "format", to_string(spec.format));
  add(text, "quality", std::to_string(spec.quality));
  add(text, "background", spec.background ? format_rgba(*spec.background) : std::string());
  add(text, "gravity", to_string(spec.gravity));
  add(text, "dpr", std::to_string(spec.dpr));
  add(text, "progressive", spec.progressive ? "1" : "0");
  add(text, "lossless", spec.lossless ? "1" : "0");
  add(text, "strip", spec.strip ? "1" : "0");
  add(text, "crop", spec.crop ? to_string(*spec.crop) : std::string());
  add(text, "accepts", to_string(spec.accepts));
  return text;
}

std::string content_key(std::string_view owner, std::string_view input_sha256,
                        const ResizeSpec& spec) {
  // The owner's length first: no owner name can run into the hash that follows it.
  std::string text = "image-resize content key 1\n";
  text.append(std::to_string(owner.size())).append(":").append(owner).append("\n");
  add(text, "input", input_sha256);
  text.append(canonical_spec(spec));
  return sha256_hex(text);
}

}  // namespace image_resize::core
