// image-resize-fault-hooks: the image-resize program whose imaging helper processes act on the
// fault markers (fault_markers.h), for the crash-isolation and long-task tests. Test-only: it is
// built with the tests and never installed.
#include "app/entry.h"
#include "fault_injecting_processor.h"
#include "imaging/vips_image_processor.h"

int main(int argc, char** argv) {
  using namespace image_resize;
  return app::run_program(argc, argv, [] {
    return std::make_unique<testing::FaultInjectingProcessor>(
        std::make_unique<imaging::VipsImageProcessor>());
  });
}
