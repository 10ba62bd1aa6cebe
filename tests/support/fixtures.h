#pragma once
// Paths and bytes of the committed test fixtures.

#include <filesystem>
#include <string>

namespace image_resize::testing {

// tests/fixtures in the source tree.
std::filesystem::path fixtures_dir();
// tests/fixtures/images/<name>
std::filesystem::path fixture_image(const std::string& name);
// The whole file; fails the current test (and returns "") when it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace image_resize::testing
