// Step crop: fit=cover scaled the image to cover the box; keep the part spec.gravity names.
#include "imaging/frames.h"
#include "imaging/steps/steps.h"

namespace image_resize::imaging::steps {
namespace {

using core::Gravity;

// Where the crop window starts along one side with `spare` pixels to drop: at the start, the
// end, or centred.
enum class Place { start, middle, end };

int offset(Place place, int spare) {
  switch (place) {
    case Place::start: return 0;
    case Place::end: return spare;
    case Place::middle: break;
  }
  return spare / 2;
}

Place horizontal(Gravity gravity) {
  switch (gravity) {
    case Gravity::west:
    case Gravity::northwest:
    case Gravity::southwest: return Place::start;
    case Gravity::east:
    case Gravity::northeast:
    case Gravity::southeast: return Place::end;
    default: return Place::middle;
  }
}

Place vertical(Gravity gravity) {
  switch (gravity) {
    case Gravity::north:
    case Gravity::northeast:
    case Gravity::northwest: return Place::start;
    case Gravity::south:
    case Gravity::southeast:
    case Gravity::southwest: return Place::end;
    default: return Place::middle;
  }
}

vips::VImage smart_crop(const vips::VImage& frame, int width, int height, Gravity gravity) {
  const VipsInteresting interesting =
      gravity == Gravity::attention ? VIPS_INTERESTING_ATTENTION : VIPS_INTERESTING_ENTROPY;
  // smartcrop reads the frame several times: a sequential source cannot be read twice.
  return frame.copy_memory().smartcrop(width, height,
                                       vips::VImage::option()->set("interesting", interesting));
}

}  // namespace

core::Status crop(Context& context) {
  const Geometry& g = context.geometry;
  if (g.scaled_width == g.target_width && g.scaled_height == g.target_height) return {};
  if (g.scaled_width < g.target_width || g.scaled_height < g.target_height)
    return {};  // embed's job
  const Gravity gravity = context.spec.gravity;
  if (gravity == Gravity::attention || gravity == Gravity::entropy) {
    context.image = map_frames(context.image, [&](const vips::VImage& frame) {
      return smart_crop(frame, g.target_width, g.target_height, gravity);
    });
    return {};
  }
  const int left = offset(horizontal(gravity), g.scaled_width - g.target_width);
  const int top = offset(vertical(gravity), g.scaled_height - g.target_height);
  context.image = map_frames(context.image, [&](const vips::VImage& frame) {
    return frame.extract_area(left, top, g.target_width, g.target_height);
  });
  return {};
}

}  // namespace image_resize::imaging::steps
