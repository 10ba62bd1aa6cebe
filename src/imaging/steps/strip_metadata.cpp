// Step strip_metadata: by default the output carries no EXIF (location, camera serials), XMP,
// IPTC, ICC or comments. The encoders strip too; dropping the fields here as well keeps stale
// values, such as a palette bit depth from a GIF input, from steering a saver. The frame layout
// and timing of an animation are kept, and with strip=false the metadata blocks too (the EXIF
// tags as libvips parsed them: a saver drops any tag whose field is gone).
#include <array>
#include <memory>
#include <string_view>

#include "imaging/steps/steps.h"

namespace image_resize::imaging::steps {
namespace {

constexpr std::array<std::string_view, 6> kKept{"page-height", "n-pages",   "delay",
                                                "loop",        "gif-delay", "gif-loop"};

constexpr std::array<std::string_view, 4> kMetadata{"exif-", "xmp-data", "iptc-data",
                                                    "icc-profile-data"};

bool kept(std::string_view field, bool keep_metadata) {
  for (std::string_view name : kKept) {
    if (name == field) return true;
  }
  if (!keep_metadata) return false;
  for (std::string_view prefix : kMetadata) {
    if (field.starts_with(prefix)) return true;
  }
  return false;
}

struct FieldsFree {
  void operator()(gchar** fields) const { g_strfreev(fields); }
};

}  // namespace

core::Status strip_metadata(Context& context) {
  // A private copy: removing fields must not touch images shared with earlier steps.
  vips::VImage image = context.image.copy();
  const std::unique_ptr<gchar*, FieldsFree> fields(vips_image_get_fields(image.get_image()));
  for (gchar** field = fields.get(); *field != nullptr; ++field) {
    // Core header fields (width, bands, ...) are not metadata; remove() ignores them.
    if (!kept(*field, !context.spec.strip)) image.remove(*field);
  }
  context.image = image;
  return {};
}

}  // namespace image_resize::imaging::steps
