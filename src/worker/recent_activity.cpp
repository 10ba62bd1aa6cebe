#include "worker/recent_activity.h"

#include <algorithm>

namespace image_resize::worker {
namespace {

std::int64_t unix_second(core::TimePoint at) { return core::to_unix_ms(at) / 1000; }

std::size_t bucket_of(double seconds) {
  const auto bounds = core::activity_bucket_bounds();
  return static_cast<std::size_t>(std::lower_bound(bounds.begin(), bounds.end(), seconds) -
                                  bounds.begin());
}

}  // namespace

RecentActivity::RecentActivity(int window_seconds)
    : window_seconds_(std::max(window_seconds, 1)),
      slots_(static_cast<std::size_t>(window_seconds_)) {}

void RecentActivity::record(bool succeeded, double processing_seconds, core::TimePoint at) {
  const std::int64_t second = unix_second(at);
  std::lock_guard lock(mutex_);
  Slot& slot = slots_[static_cast<std::size_t>(second % window_seconds_)];
  if (slot.second != second) {
    slot = Slot{.second = second,
                .succeeded = 0,
                .failed = 0,
                .buckets = std::vector<std::uint64_t>(core::activity_bucket_bounds().size() + 1)};
  }
  ++(succeeded ? slot.succeeded : slot.failed);
  ++slot.buckets[bucket_of(processing_seconds)];
}

core::ActivityWindow RecentActivity::snapshot(core::TimePoint at) const {
  const std::int64_t newest = unix_second(at);
  core::ActivityWindow window;
  window.seconds = window_seconds_;
  std::lock_guard lock(mutex_);
  for (const Slot& slot : slots_) {
    if (slot.second < 0 || slot.second > newest || slot.second <= newest - window_seconds_) {
      continue;
    }
    window.succeeded += slot.succeeded;
    window.failed += slot.failed;
    if (window.processing_buckets.empty()) window.processing_buckets.resize(slot.buckets.size());
    for (std::size_t i = 0; i < slot.buckets.size(); ++i) {
      window.processing_buckets[i] += slot.buckets[i];
    }
  }
  return window;
}

}  // namespace image_resize::worker
