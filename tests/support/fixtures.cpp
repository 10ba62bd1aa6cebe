#include "support/fixtures.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace image_resize::testing {

std::filesystem::path fixtures_dir() { return IMAGE_RESIZE_FIXTURES_DIR; }

std::filesystem::path fixture_image(const std::string& name) {
  return fixtures_dir() / "images" / name;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return {};
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace image_resize::testing
