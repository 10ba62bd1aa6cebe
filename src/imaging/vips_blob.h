#pragma once
// Owns a VipsBlob reference, so blobs from savers and blobs that borrow input bytes are
// released on every path, errors included (the leak in libvips' cplusplus/examples/buffer.cpp
// is the counter-example).

#include <memory>
#include <vips/vips8>

namespace image_resize::imaging {

struct VipsBlobUnref {
  void operator()(VipsBlob* blob) const { vips_area_unref(&blob->area); }
};
using VipsBlobPtr = std::unique_ptr<VipsBlob, VipsBlobUnref>;

}  // namespace image_resize::imaging
