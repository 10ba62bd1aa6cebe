// Step placeholder: computed from the encoded output rather than from the pipeline's image,
// which libvips would have to compute a second time (it is lazy and keeps no pixels). Reading
// the output back is cheap: shrink-on-load for JPEG and WebP, and a small image otherwise.
#include "imaging/steps/steps.h"

namespace image_resize::imaging::steps {

core::Status placeholder(Context& context) {
  context.placeholder = placeholder_of(context.output);
  return {};
}

}  // namespace image_resize::imaging::steps
