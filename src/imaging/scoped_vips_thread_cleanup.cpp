#include "imaging/scoped_vips_thread_cleanup.h"

#include <vips/vips8>

namespace image_resize::imaging {

ScopedVipsThreadCleanup::~ScopedVipsThreadCleanup() {
  vips_error_clear();
  vips_thread_shutdown();
}

}  // namespace image_resize::imaging
