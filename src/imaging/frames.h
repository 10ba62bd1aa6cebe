#pragma once
// libvips holds an animation as one tall image: the frames stacked top to bottom, each
// "page-height" pixels high. Steps that change a frame's size (crop, embed) must do it frame by
// frame, and these helpers are the one place that knows the layout.

#include <functional>
#include <vips/vips8>

namespace image_resize::imaging {

// Height of one frame; the whole height for a still image.
int frame_height(const vips::VImage& image);
int frame_count(const vips::VImage& image);

// Applies `transform` to every frame, stacks the results and records their page height.
// `transform` must give every frame the same size.
vips::VImage map_frames(const vips::VImage& image,
                        const std::function<vips::VImage(const vips::VImage&)>& transform);

}  // namespace image_resize::imaging
