#include "isolation/isolated_image_processor.h"

#include <algorithm>

#include "core/log.h"
#include "isolation/process_memory.h"
#include "isolation/resize_protocol.h"

namespace image_resize::isolation {

using Values = std::vector<std::pair<metrics::Labels, double>>;

IsolatedImageProcessor::IsolatedImageProcessor(std::vector<std::string> helper_argv,
                                               imaging::ImageProcessor& in_process,
                                               metrics::Registry& metrics)
    : helper_argv_(std::move(helper_argv)), in_process_(in_process), metrics_(metrics) {
  metrics_.gauge("image_resize_imaging_processes", "Imaging helper processes alive now", [this] {
    return Values{{{}, static_cast<double>(helper_pids().size())}};
  });
  metrics_.gauge("image_resize_imaging_processes_resident_memory_bytes",
                 "Resident set size of the imaging helper processes together", [this] {
                   std::uint64_t total = 0;
                   for (pid_t pid : helper_pids()) total += resident_memory_bytes(pid);
                   return Values{{{}, static_cast<double>(total)}};
                 });
}

IsolatedImageProcessor::~IsolatedImageProcessor() {
  std::lock_guard lock(mutex_);
  idle_.clear();  // each helper exits when its socket closes
}

core::Status IsolatedImageProcessor::prestart(int count) {
  {
    std::lock_guard lock(mutex_);
    wanted_ = static_cast<std::size_t>(count);
  }
  for (int i = 0; i < count; ++i) {
    auto helper = spawn();
    if (!helper.ok()) return helper.error();
    give_back(std::move(*helper));
  }
  return {};
}

void IsolatedImageProcessor::set_concurrency(int resizes_at_once) {
  std::vector<std::unique_ptr<HelperProcess>> surplus;
  std::size_t missing = 0;
  {
    std::lock_guard lock(mutex_);
    wanted_ = static_cast<std::size_t>(std::max(resizes_at_once, 1));
    while (alive_.size() > wanted_ && !idle_.empty()) {
      std::erase(alive_, idle_.back()->pid());
      surplus.push_back(std::move(idle_.back()));
      idle_.pop_back();
    }
    missing = wanted_ > alive_.size() ? wanted_ - alive_.size() : 0;
  }
  surplus.clear();  // closes their sockets, then reaps them
  for (std::size_t i = 0; i < missing; ++i) {
    if (auto fresh = spawn(); fresh.ok()) give_back(std::move(*fresh));
  }
}

core::Result<imaging::ImageInfo> IsolatedImageProcessor::probe(std::string_view bytes,
                                                               const core::Limits& limits) {
  return in_process_.probe(bytes, limits);
}

core::Result<imaging::ResizedImage> IsolatedImageProcessor::resize(std::string_view bytes,
                                                                   const core::ResizeSpec& spec,
                                                                   const core::Limits& limits) {
  return resize_in_helper(bytes, -1, spec, limits);
}

core::Result<imaging::ResizedImage> IsolatedImageProcessor::resize_file(
    int fd, const core::ResizeSpec& spec, const core::Limits& limits) {
  return resize_in_helper({}, fd, spec, limits);
}

core::Result<imaging::ResizedImage> IsolatedImageProcessor::resize_in_helper(
    std::string_view payload, int pass_fd, const core::ResizeSpec& spec,
    const core::Limits& limits) {
  auto helper = take_idle();
  if (!helper.ok()) return helper.error();
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (limits.max_processing_time.count() > 0) {
    deadline = std::chrono::steady_clock::now() + limits.max_processing_time + kKillMargin;
  }
  ReadEnd end = ReadEnd::closed;
  core::Status sent =
      write_message((*helper)->socket(), request_header(spec, limits), payload, pass_fd);
  core::Result<Message> reply =
      sent.ok() ? read_message((*helper)->socket(), deadline, &end) : sent.error();
  if (reply.ok()) {
    auto outcome = parse_reply(std::move(*reply));
    give_back(std::move(*helper));
    return outcome;
  }
  if (end == ReadEnd::timed_out) {
    const std::string ended = replace(std::move(*helper), "timeout");
    return core::Error::make(core::ErrorCode::timeout,
                             "Processing took longer than the server allows for one image.",
                             "the imaging process did not answer by the deadline; " + ended);
  }
  const std::string ended = replace(std::move(*helper), "crashed");
  return core::Error::make(core::ErrorCode::worker_crashed,
                           "The imaging process stopped while resizing this image.",
                           "the imaging process " + ended);
}

std::vector<pid_t> IsolatedImageProcessor::helper_pids() const {
  std::lock_guard lock(mutex_);
  return alive_;
}

core::Result<std::unique_ptr<HelperProcess>> IsolatedImageProcessor::take_idle() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto helper = std::move(idle_.back());
      idle_.pop_back();
      return helper;
    }
  }
  return spawn();
}

void IsolatedImageProcessor::give_back(std::unique_ptr<HelperProcess> helper) {
  {
    std::lock_guard lock(mutex_);
    if (wanted_ == 0 || alive_.size() <= wanted_) {
      idle_.push_back(std::move(helper));
      return;
    }
    std::erase(alive_, helper->pid());  // counted out at once: no other helper is stopped for it
  }
  helper.reset();  // closes the socket, then reaps the helper
}

std::string IsolatedImageProcessor::replace(std::unique_ptr<HelperProcess> helper,
                                            const char* reason) {
  const pid_t pid = helper->pid();
  std::string ended = helper->kill_and_reap();
  helper.reset();
  {
    std::lock_guard lock(mutex_);
    std::erase(alive_, pid);
  }
  metrics_
      .counter("image_resize_imaging_process_restarts_total",
               "Imaging helper processes replaced, by why the old one ended", {{"reason", reason}})
      .inc();
  core::log::error("imaging process replaced",
                   {{"pid", std::to_string(pid)}, {"reason", reason}, {"ended", ended}});
  // At once, so the next task does not wait for it; if it fails, the next resize tries again.
  if (auto fresh = spawn(); fresh.ok()) give_back(std::move(*fresh));
  return ended;
}

core::Result<std::unique_ptr<HelperProcess>> IsolatedImageProcessor::spawn() {
  auto helper = HelperProcess::spawn(helper_argv_);
  if (!helper.ok()) {
    core::log::error("cannot start an imaging process", {{"error", helper.error().log_message()}});
    return helper.error();
  }
  std::lock_guard lock(mutex_);
  alive_.push_back((*helper)->pid());
  return helper;
}

}  // namespace image_resize::isolation
