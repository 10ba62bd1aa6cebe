#include "storage/free_space.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace image_resize::storage {

std::uint64_t MinFreeSpace::floor_for(std::uint64_t total) const {
  const auto share = static_cast<std::uint64_t>(static_cast<double>(total) * percent / 100.0);
  return std::min(bytes, share);
}

FreeSpaceGuard::FreeSpaceGuard(std::filesystem::path data_dir, MinFreeSpace min_free)
    : data_dir_(std::move(data_dir)), min_free_(min_free) {}

core::Result<FreeSpace> FreeSpaceGuard::measure() const {
  struct statvfs info {};
  if (::statvfs(data_dir_.c_str(), &info) != 0) {
    return core::Error::make(
        core::ErrorCode::internal, "Internal error",
        "statvfs " + data_dir_.string() + ": " + std::system_category().message(errno));
  }
  FreeSpace space;
  space.available = static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize;
  space.total = static_cast<std::uint64_t>(info.f_blocks) * info.f_frsize;
  space.floor = min_free_.floor_for(space.total);
  return space;
}

bool FreeSpaceGuard::low() const {
  auto space = measure();
  return space.ok() && space->low();
}

}  // namespace image_resize::storage
