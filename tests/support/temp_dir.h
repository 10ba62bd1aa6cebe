#pragma once
// A fresh, uniquely named directory under the system temp dir for one test, removed with
// everything in it when the object goes away.

#include <filesystem>
#include <string_view>

namespace image_resize::testing {

class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "image-resize-test-");
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace image_resize::testing
