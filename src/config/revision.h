#pragma once
// The git revision the binary was built from (`git describe --always --dirty`), for --version;
// written at build time by cmake/write_revision.cmake.

namespace image_resize::config {

const char* git_revision();

}  // namespace image_resize::config
