#pragma once
// The resize flags of the command-line tools (resize-cli, and the benchmark's bench-load and
// bench-baseline), read into a core::ResizeSpec the same way everywhere.

#include <boost/program_options.hpp>

#include "core/resize_spec.h"

namespace image_resize::tools {

// --width, --height, --fit, --format, --quality, --background.
void add_resize_options(boost::program_options::options_description& options);
// The spec the flags ask for. Throws std::invalid_argument, saying which flag is wrong, when a
// value is invalid or neither --width nor --height is given.
core::ResizeSpec resize_spec_from(const boost::program_options::variables_map& args);

}  // namespace image_resize::tools
