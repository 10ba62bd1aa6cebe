#include "process_tree.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace image_resize::bench {
namespace {

struct ProcStat {
  pid_t ppid = 0;
  unsigned long long cpu_ticks = 0;  // utime + stime + cutime + cstime
  unsigned long long rss_pages = 0;
};

std::string read_small_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string proc_path(pid_t pid, const char* file) {
  return std::string("/proc/").append(std::to_string(pid)).append("/").append(file);
}

// /proc/<pid>/stat; false when the process is gone. The command name (field 2) may hold spaces
// and parentheses, so fields are counted from the last ')'.
bool read_stat(pid_t pid, ProcStat& out) {
  const std::string text = read_small_file(proc_path(pid, "stat"));
  const auto close = text.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream fields(text.substr(close + 2));
  std::vector<std::string> field;  // field[0] is stat field 3 (state)
  for (std::string value; fields >> value && field.size() < 22;) field.push_back(value);
  if (field.size() < 22) return false;
  const auto number = [&field](std::size_t stat_field) {
    return std::stoull(field[stat_field - 3]);
  };
  out.ppid = static_cast<pid_t>(number(4));
  out.cpu_ticks = number(14) + number(15) + number(16) + number(17);
  out.rss_pages = number(24);
  return true;
}

// "Pss:" of /proc/<pid>/smaps_rollup, in bytes; 0 when the process is gone.
std::uint64_t read_pss_bytes(pid_t pid) {
  std::istringstream lines(read_small_file(proc_path(pid, "smaps_rollup")));
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("Pss:")) return std::stoull(line.substr(4)) * 1024;  // "  1234 kB"
  }
  return 0;
}

}  // namespace

ProcessTree::ProcessTree(pid_t root) : root_(root) { members_.insert(root); }

void ProcessTree::find_descendants() {
  std::map<pid_t, std::vector<pid_t>> children;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    pid_t pid = 0;
    const auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (error != std::errc{} || end != name.data() + name.size()) continue;
    ProcStat stat;
    if (read_stat(pid, stat)) children[stat.ppid].push_back(pid);
  }
  members_ = {root_};
  std::vector<pid_t> pending{root_};
  while (!pending.empty()) {
    const pid_t parent = pending.back();
    pending.pop_back();
    for (const pid_t child : children[parent]) {
      if (members_.insert(child).second) pending.push_back(child);
    }
  }
}

TreeSample ProcessTree::sample(bool rescan) {
  if (rescan) find_descendants();
  static const double ms_per_tick = 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
  static const auto page_bytes = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
  TreeSample sample;
  for (auto it = members_.begin(); it != members_.end();) {
    ProcStat stat;
    if (!read_stat(*it, stat)) {
      it = members_.erase(it);
      continue;
    }
    sample.cpu_ms += static_cast<double>(stat.cpu_ticks) * ms_per_tick;
    sample.rss_bytes += stat.rss_pages * page_bytes;
    // smaps_rollup walks every mapping of the process (~1 ms for a helper): only on rescans,
    // or the sampler's own CPU would slow the server it measures on a small machine.
    if (rescan) sample.pss_bytes += read_pss_bytes(*it);
    ++sample.processes;
    ++it;
  }
  return sample;
}

std::uint64_t ProcessTree::root_hwm_bytes() const {
  std::istringstream lines(read_small_file(proc_path(root_, "status")));
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("VmHWM:")) return std::stoull(line.substr(6)) * 1024;  // "  1234 kB"
  }
  return 0;
}

TreeSampler::TreeSampler(pid_t root, std::chrono::milliseconds interval) : tree_(root) {
  take(/*rescan=*/true);
  thread_ = std::thread([this, interval] {
    // A rescan reads all of /proc: every 250 ms is enough to find helper processes.
    const auto rescan_every = std::max<long>(1, 250 / std::max<long>(1, interval.count()));
    for (long n = 1; !stop_.load(); ++n) {
      std::this_thread::sleep_for(interval);
      take(n % rescan_every == 0);
    }
  });
}

TreeSampler::~TreeSampler() {
  stop_ = true;
  thread_.join();
}

TreeSample TreeSampler::now() { return take(/*rescan=*/true); }

std::uint64_t TreeSampler::root_hwm_bytes() {
  const std::lock_guard lock(mutex_);
  return tree_.root_hwm_bytes();
}

TreeSample TreeSampler::take(bool rescan) {
  const std::lock_guard lock(mutex_);
  const TreeSample sample = tree_.sample(rescan);
  if (sample.rss_bytes > peak_rss_bytes_) peak_rss_bytes_ = sample.rss_bytes;
  if (sample.pss_bytes > peak_pss_bytes_) peak_pss_bytes_ = sample.pss_bytes;
  if (sample.processes > peak_processes_) peak_processes_ = sample.processes;
  return sample;
}

double self_cpu_ms() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto ms = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_usec) / 1000.0;
  };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

std::uint64_t self_peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // KiB on Linux
}

}  // namespace image_resize::bench
