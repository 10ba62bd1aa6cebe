#pragma once
// Runs tasks [begin, end) on `threads` threads, each taking the next index as soon as it is
// free, so exactly `threads` tasks are in flight until the last ones. Returns when all are done.

#include <atomic>
#include <thread>
#include <vector>

namespace image_resize::bench {

// `run(thread_index, task_index)` is called once per task index.
template <class Run>
void run_parallel(int threads, int begin, int end, Run run) {
  std::atomic<int> next{begin};
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&next, &run, end, t] {
      for (int i = next++; i < end; i = next++) run(t, i);
    });
  }
  for (std::thread& thread : pool) thread.join();
}

}  // namespace image_resize::bench
