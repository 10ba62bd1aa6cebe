#pragma once
// The free space of the file system that holds the data dir, against a floor below which the
// service stops accepting uploads (503 insufficient_storage) and says it is not ready, so that a
// disk filling up refuses new work before it fails the work already accepted. Workers go on
// storing results: the floor leaves them the room.
// Thread safety: every method from any thread at once (each call is one statvfs).

#include <cstdint>
#include <filesystem>

#include "core/result.h"

namespace image_resize::storage {

struct MinFreeSpace {
  // The floor is the smaller of `bytes` and `percent` of the file system's size: a percentage
  // alone would keep hundreds of GiB free on a large disk, a size alone most of a small one.
  std::uint64_t bytes = std::uint64_t{1} << 30;
  double percent = 5.0;

  // The floor for a file system of `total` bytes; 0 means no floor.
  std::uint64_t floor_for(std::uint64_t total) const;
};

struct FreeSpace {
  std::uint64_t available = 0;  // to an unprivileged writer
  std::uint64_t total = 0;
  std::uint64_t floor = 0;
  bool low() const { return available < floor; }
};

class FreeSpaceGuard {
 public:
  FreeSpaceGuard(std::filesystem::path data_dir, MinFreeSpace min_free);
  core::Result<FreeSpace> measure() const;
  // True when measure() says low; false when it fails (a failing statvfs is not a full disk,
  // and the writes themselves will say what is wrong).
  bool low() const;

 private:
  // Constant after construction.
  const std::filesystem::path data_dir_;
  const MinFreeSpace min_free_;
};

}  // namespace image_resize::storage
