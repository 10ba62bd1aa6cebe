#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <system_error>

namespace image_resize::testing {

TempDir::TempDir(std::string_view prefix) {
  std::random_device device;
  const auto base = std::filesystem::temp_directory_path();
  for (int attempt = 0; attempt < 100; ++attempt) {
    path_ = base / (std::string(prefix) + std::to_string(device()) + std::to_string(device()));
    std::error_code error;
    if (std::filesystem::create_directory(path_, error)) return;
  }
  ADD_FAILURE() << "could not create a temporary directory under " << base;
}

TempDir::~TempDir() {
  std::error_code error;
  std::filesystem::remove_all(path_, error);
}

}  // namespace image_resize::testing
