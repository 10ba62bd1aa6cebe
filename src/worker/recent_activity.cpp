#include "worker/recent_activity.h"

#include <algorithm>

namespace image_resize::worker {
namespace {

std::int64_t unix_second(core::TimePoint at) { return core::to_unix_ms(at) / 1000; }

void count(std::vector<std::uint64_t>& buckets, double seconds) {
  const auto bounds = core::activity_bucket_bounds();
  if (buckets.empty()) buckets.resize(bounds.size() + 1);
  ++buckets[static_cast<std::size_t>(std::lower_bound(bounds.begin(), bounds.end(), seconds) -
                                     bounds.begin())];
}

}  // namespace

RecentActivity::RecentActivity(int window_seconds)
    : window_seconds_(std::max(window_seconds, 1)),
      slots_(static_cast<std::size_t>(window_seconds_)) {}

RecentActivity::Slot& RecentActivity::slot_at(core::TimePoint at) {
  const std::int64_t second = unix_second(at);
  Slot& slot = slots_[static_cast<std::size_t>(second % window_seconds_)];
  if (slot.second != second) slot = Slot{.second = second};
  return slot;
}

void RecentActivity::record(bool succeeded, double processing_seconds, core::TimePoint at) {
  std::lock_guard lock(mutex_);
  Slot& slot = slot_at(at);
  ++(succeeded ? slot.succeeded : slot.failed);
  count(slot.processing, processing_seconds);
}

void RecentActivity::record_start(core::Priority priority, core::TimePoint created_at,
                                  core::TimePoint at) {
  // A clock stepped back between upload and start (another host's) waited nothing.
  const double waited = std::max(0.0, std::chrono::duration<double>(at - created_at).count());
  std::lock_guard lock(mutex_);
  count(slot_at(at).waiting[static_cast<std::size_t>(priority)], waited);
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
    core::add_bucket_counts(window.processing_buckets, slot.processing);
    for (std::size_t p = 0; p < slot.waiting.size(); ++p) {
      core::add_bucket_counts(window.waiting_buckets[p], slot.waiting[p]);
    }
  }
  return window;
}

}  // namespace image_resize::worker
