#include "imaging/frames.h"

#include <vector>

namespace image_resize::imaging {

int frame_height(const vips::VImage& image) {
  return vips_image_get_page_height(image.get_image());
}

int frame_count(const vips::VImage& image) { return image.height() / frame_height(image); }

vips::VImage map_frames(const vips::VImage& image,
                        const std::function<vips::VImage(const vips::VImage&)>& transform) {
  const int height = frame_height(image);
  const int count = frame_count(image);
  std::vector<vips::VImage> frames;
  frames.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    frames.push_back(
        transform(count == 1 ? image : image.extract_area(0, i * height, image.width(), height)));
  }
  vips::VImage joined =
      count == 1 ? frames.front()
                 : vips::VImage::arrayjoin(frames, vips::VImage::option()->set("across", 1));
  // A private copy before setting metadata: the frames may share their header with others.
  vips::VImage result = joined.copy();
  result.set(VIPS_META_PAGE_HEIGHT, frames.front().height());
  return result;
}

}  // namespace image_resize::imaging
