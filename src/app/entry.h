#pragma once
// The whole program behind main(): reads the configuration and runs the chosen mode. A second
// executable (the tests' fault-injecting build) calls it with its own imaging for the helpers.

#include <functional>
#include <memory>

#include "imaging/image_processor.h"

namespace image_resize::app {

// What an imaging helper process resizes with; empty: libvips (VipsImageProcessor).
using HelperImaging = std::function<std::unique_ptr<imaging::ImageProcessor>()>;

int run_program(int argc, char** argv, const HelperImaging& helper_imaging = {});

}  // namespace image_resize::app
