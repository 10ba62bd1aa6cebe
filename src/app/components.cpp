#include "app/components.h"

#include <cstdlib>

#include "app/process_control.h"
#include "core/log.h"

namespace image_resize::app {

int start_failure(std::string_view what, const core::Error& error) {
  core::log::error(what, {{"error", error.log_message()}});
  return 1;
}

void register_queue_depth(metrics::Registry& registry, queue::TaskQueue& queue) {
  registry.gauge("image_resize_queue_depth", "Tasks waiting or running, by priority", [&queue] {
    std::vector<std::pair<metrics::Labels, double>> values;
    auto depth = queue.depth();
    if (!depth.ok()) return values;
    for (auto priority : {core::Priority::high, core::Priority::normal, core::Priority::low}) {
      values.push_back({{{"priority", std::string(core::to_string(priority))}},
                        static_cast<double>(depth->by_priority[static_cast<int>(priority)])});
    }
    return values;
  });
}

HttpSide::HttpSide(const config::AppConfig& config, queue::TaskStore& tasks,
                   queue::TaskQueue& queue, storage::BlobStore& blobs,
                   imaging::ImageProcessor& images, metrics::Registry& metrics)
    : blocking_(config.http.blocking_threads),
      context_{tasks,   queue,         blobs,      images,     waiters_,
               blocking_, metrics, config.limits, config.ttl, config.http},
      server_(context_) {}

void HttpSide::shutdown() {
  server_.shutdown();
  blocking_.stop();
}

WorkerSide::WorkerSide(const config::AppConfig& config, queue::TaskStore& tasks,
                       queue::TaskQueue& queue, storage::BlobStore& blobs,
                       imaging::ImageProcessor& images, metrics::Registry& metrics,
                       worker::WorkerPool::FinishedObserver on_finished)
    : workers_(config.worker, tasks, queue, blobs, images, metrics, std::move(on_finished)),
      sweeper_(tasks, blobs, config.sweep_interval) {}

void WorkerSide::start() {
  workers_.start();
  sweeper_.start();
}

bool WorkerSide::stop(std::chrono::milliseconds grace) {
  sweeper_.stop();
  return workers_.stop(grace);
}

int run_until_stopped(const config::AppConfig& config, HttpSide* http_side,
                      WorkerSide* worker_side) {
  const char* signal_name = wait_for_stop_signal();
  core::log::info("stopping", {{"signal", signal_name}});
  if (http_side) http_side->shutdown();
  if (worker_side && !worker_side->stop(config.shutdown_grace)) {
    // Tasks still running keep their leases; they are handed out again later.
    core::log::warn("exiting with tasks in progress");
    std::_Exit(0);
  }
  core::log::info("stopped");
  return 0;
}

}  // namespace image_resize::app
