// Step strip_metadata: the output carries no EXIF (location, camera serials), XMP, IPTC, ICC
// or comments. The encoders strip too; dropping the fields here as well keeps stale values,
// such as a palette bit depth from a GIF input, from steering a saver. Only the frame layout
// and timing of an animation are kept.
#include <array>
#include <memory>
#include <string_view>

#include "imaging/steps/steps.h"

namespace image_resize::imaging::steps {
namespace {

constexpr std::array<std::string_view, 6> kKept{"page-height", "n-pages",   "delay",
                                                "loop",        "gif-delay", "gif-loop"};

bool kept(std::string_view field) {
  for (std::string_view name : kKept) {
    if (name == field) return true;
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
    if (!kept(*field)) image.remove(*field);
  }
  context.image = image;
  return {};
}

}  // namespace image_resize::imaging::steps
