#pragma once
// CPU time and resident memory of a process and all its descendants, from /proc: the server
// may run helper processes, and they cost as much as its own threads.
//
// Memory is given twice. RSS counts a page once per process that maps it, so the libraries
// every helper maps (libvips and its codecs, ~30 MiB) count once per process. PSS splits each
// shared page among the processes that map it, so the sum over the tree counts it once: that
// is the memory the tree occupies, and what a container's memory limit charges.
//
// CPU = utime + stime + cutime + cstime of every live process in the tree. A child that exits
// moves its time into its parent's cutime/cstime once reaped, so the sum stays continuous; a
// child that exits between two samples still counts, its memory does not.

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <set>
#include <thread>

namespace image_resize::bench {

struct TreeSample {
  double cpu_ms = 0;
  std::uint64_t rss_bytes = 0;
  std::uint64_t pss_bytes = 0;  // 0 unless read (Reads::pss): it costs ~1 ms per process
  int processes = 0;            // live processes in the tree
};

// Not thread-safe: one thread at a time (TreeSampler serialises).
class ProcessTree {
 public:
  explicit ProcessTree(pid_t root);

  // What a sample reads besides each known process's stat (CPU time and RSS).
  struct Reads {
    // First look through /proc for new descendants: a scan of every process on the machine.
    bool descendants = false;
    // PSS, from smaps_rollup: a walk of every page table of the process.
    bool pss = false;
  };
  TreeSample sample(Reads reads);
  // The kernel's peak RSS (VmHWM) of the root process alone: catches spikes between samples.
  std::uint64_t root_hwm_bytes() const;

 private:
  void find_descendants();

  // Constant after construction.
  const pid_t root_;
  std::set<pid_t> members_;
};

// Samples a ProcessTree every `interval` on its own thread, keeping the peak RSS, and the peak
// PSS (read every 250 ms). New descendants are looked for every second.
class TreeSampler {
 public:
  TreeSampler(pid_t root, std::chrono::milliseconds interval);
  ~TreeSampler();
  TreeSampler(const TreeSampler&) = delete;
  TreeSampler& operator=(const TreeSampler&) = delete;

  // A fresh sample of everything (descendants, PSS), now.
  TreeSample now();
  std::uint64_t peak_rss_bytes() const { return peak_rss_bytes_.load(); }
  std::uint64_t peak_pss_bytes() const { return peak_pss_bytes_.load(); }
  int peak_processes() const { return peak_processes_.load(); }
  std::uint64_t root_hwm_bytes();

 private:
  static constexpr ProcessTree::Reads kEverything{.descendants = true, .pss = true};
  TreeSample take(ProcessTree::Reads reads);

  std::mutex mutex_;
  ProcessTree tree_;  // guarded by mutex_
  std::atomic<std::uint64_t> peak_rss_bytes_{0};
  std::atomic<std::uint64_t> peak_pss_bytes_{0};
  std::atomic<int> peak_processes_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// This process: user + system CPU so far, and its peak RSS (getrusage).
double self_cpu_ms();
std::uint64_t self_peak_rss_bytes();

}  // namespace image_resize::bench
