// `image-resize imaging-helper`: started by serve and worker (--isolate-imaging) with a socket on
// descriptor 3; resizes what it is sent there, one image at a time, until the socket closes.
#include "isolation/imaging_helper.h"

#include <sys/stat.h>

#include <cstdio>

#include "app/modes.h"
#include "imaging/vips_image_processor.h"
#include "isolation/helper_process.h"

namespace image_resize::app {

int run_imaging_helper(const config::AppConfig&, const HelperImaging& helper_imaging) {
  struct stat socket_info {};
  if (::fstat(isolation::kHelperSocketFd, &socket_info) != 0 || !S_ISSOCK(socket_info.st_mode)) {
    std::fputs("image-resize: imaging-helper is started by serve and worker, not by hand\n",
               stderr);
    return 2;
  }
  std::unique_ptr<imaging::ImageProcessor> images =
      helper_imaging ? helper_imaging() : std::make_unique<imaging::VipsImageProcessor>();
  return isolation::serve_resize_requests(isolation::kHelperSocketFd, *images);
}

}  // namespace image_resize::app
