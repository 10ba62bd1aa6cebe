#include "worker/lease_keeper.h"

#include "core/log.h"

namespace image_resize::worker {

LeaseKeeper::LeaseKeeper(tasks::TaskQueue& queue, metrics::Registry& metrics)
    : queue_(queue), metrics_(metrics), lease_duration_(queue.lease_duration()) {}

void LeaseKeeper::start() {
  renewer_.start([this] { renew_all(); }, lease_duration_ / 3);
}

void LeaseKeeper::stop() { renewer_.stop(); }

void LeaseKeeper::hold(const tasks::Lease& lease) {
  std::lock_guard lock(mutex_);
  held_.insert_or_assign(lease.token, Held{.lease = lease, .renewed_at = Clock::now()});
}

void LeaseKeeper::drop(const tasks::Lease& lease) {
  std::lock_guard lock(mutex_);
  held_.erase(lease.token);
}

bool LeaseKeeper::still_held(const tasks::Lease& lease) const {
  std::lock_guard lock(mutex_);
  const auto found = held_.find(lease.token);
  return found != held_.end() && !found->second.lost &&
         Clock::now() - found->second.renewed_at < lease_duration_;
}

std::vector<tasks::Lease> LeaseKeeper::take_all() {
  std::lock_guard lock(mutex_);
  std::vector<tasks::Lease> leases;
  for (auto& [token, held] : held_) {
    held.lost = true;
    leases.push_back(held.lease);
  }
  return leases;
}

void LeaseKeeper::renew_all() {
  std::vector<tasks::Lease> leases;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [token, held] : held_) {
      if (!held.lost) leases.push_back(held.lease);
    }
  }
  // Outside the lock: each renewal is a store round trip.
  for (const tasks::Lease& lease : leases) record_renewal(lease.token, queue_.renew(lease));
}

void LeaseKeeper::record_renewal(const std::string& token, const core::Result<bool>& renewed) {
  std::lock_guard lock(mutex_);
  const auto found = held_.find(token);
  if (found == held_.end()) return;  // finished meanwhile
  Held& held = found->second;
  const std::string task_id = held.lease.task_id.str();
  if (renewed.ok() && *renewed) {
    held.renewed_at = Clock::now();
    return;
  }
  const char* reason = renewed.ok() ? "lost" : "error";
  metrics_
      .counter("image_resize_lease_renewals_failed_total",
               "Lease renewals that failed: the lease was taken by another worker (lost) or the "
               "store did not answer (error)",
               {{"reason", reason}})
      .inc();
  if (renewed.ok()) {
    held.lost = true;
    core::log::warn("lease lost: another worker runs the task now", {{"task_id", task_id}});
  } else {
    core::log::warn("lease renewal failed",
                    {{"task_id", task_id}, {"error", renewed.error().log_message()}});
  }
}

}  // namespace image_resize::worker
