#include "process_tree.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace image_resize::bench {
namespace {

struct ProcStat {
  pid_t ppid = 0;
  unsigned long long cpu_ticks = 0;  // utime + stime + cutime + cstime
  unsigned long long rss_pages = 0;
};

// The whole of a small /proc file into `buffer`; empty when it cannot be read (the process is
// gone). Plain read(2) into a caller's buffer: the sampler reads hundreds of these a second on
// the cores the server is measured on, and a stream costs several times more per file.
std::string_view read_proc_file(const std::string& path, std::span<char> buffer) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::size_t size = 0;
  while (size < buffer.size()) {
    const ssize_t n = ::read(fd, buffer.data() + size, buffer.size() - size);
    if (n <= 0) break;
    size += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return {buffer.data(), size};
}

std::string proc_path(pid_t pid, const char* file) {
  return std::string("/proc/").append(std::to_string(pid)).append("/").append(file);
}

// The number after `key` in a "Key:   1234 kB" file (status pads with tabs, smaps_rollup with
// spaces), in bytes; 0 when missing.
std::uint64_t kib_field_bytes(std::string_view text, std::string_view key) {
  const auto at = text.find(key);
  if (at == std::string_view::npos) return 0;
  auto rest = text.substr(at + key.size());
  rest.remove_prefix(std::min(rest.find_first_not_of(" \t"), rest.size()));
  std::uint64_t kib = 0;
  std::from_chars(rest.data(), rest.data() + rest.size(), kib);
  return kib * 1024;
}

// /proc/<pid>/stat; false when the process is gone. The command name (field 2) may hold spaces
// and parentheses, so fields are counted from the last ')'.
bool read_stat(pid_t pid, ProcStat& out) {
  std::array<char, 1024> buffer;  // a stat line is ~300 bytes
  const std::string_view text = read_proc_file(proc_path(pid, "stat"), buffer);
  const auto close = text.rfind(')');
  if (close == std::string_view::npos) return false;
  // field[0] is stat field 3 (state), a letter; the ones read here are numbers.
  std::array<std::string_view, 22> field;
  std::size_t count = 0;
  for (std::size_t at = close + 1; count < field.size();) {
    at = text.find_first_not_of(' ', at);
    if (at == std::string_view::npos) break;
    const auto end = std::min(text.find(' ', at), text.size());
    field[count++] = text.substr(at, end - at);
    at = end;
  }
  if (count < field.size()) return false;
  const auto number = [&field](std::size_t stat_field) {
    const std::string_view value = field[stat_field - 3];
    unsigned long long parsed = 0;
    std::from_chars(value.data(), value.data() + value.size(), parsed);
    return parsed;
  };
  out.ppid = static_cast<pid_t>(number(4));
  out.cpu_ticks = number(14) + number(15) + number(16) + number(17);
  out.rss_pages = number(24);
  return true;
}

// "Pss:" of /proc/<pid>/smaps_rollup, in bytes; 0 when the process is gone.
std::uint64_t read_pss_bytes(pid_t pid) {
  std::array<char, 4096> buffer;  // ~20 lines
  return kib_field_bytes(read_proc_file(proc_path(pid, "smaps_rollup"), buffer), "\nPss:");
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

TreeSample ProcessTree::sample(Reads reads) {
  if (reads.descendants) find_descendants();
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
    // smaps_rollup walks every page table of the process (~1 ms for a helper): not on every
    // sample, or the sampler's own CPU would slow the server it measures on a small machine.
    if (reads.pss) sample.pss_bytes += read_pss_bytes(*it);
    ++sample.processes;
    ++it;
  }
  return sample;
}

std::uint64_t ProcessTree::root_hwm_bytes() const {
  std::array<char, 8192> buffer;  // ~60 lines
  return kib_field_bytes(read_proc_file(proc_path(root_, "status"), buffer), "\nVmHWM:");
}

TreeSampler::TreeSampler(pid_t root, std::chrono::milliseconds interval) : tree_(root) {
  take(kEverything);
  thread_ = std::thread([this, interval] {
    const auto every = [interval](long ms) {
      return std::max<long>(1, ms / std::max<long>(1, interval.count()));
    };
    // The scan for descendants reads the stat of every process on the machine: once a second
    // finds a replaced helper soon enough (its CPU time is cumulative, so none is lost).
    const long scan_every = every(1000);
    const long pss_every = every(250);
    for (long n = 1; !stop_.load(); ++n) {
      std::this_thread::sleep_for(interval);
      take({.descendants = n % scan_every == 0, .pss = n % pss_every == 0});
    }
  });
}

TreeSampler::~TreeSampler() {
  stop_ = true;
  thread_.join();
}

TreeSample TreeSampler::now() { return take(kEverything); }

std::uint64_t TreeSampler::root_hwm_bytes() {
  const std::lock_guard lock(mutex_);
  return tree_.root_hwm_bytes();
}

TreeSample TreeSampler::take(ProcessTree::Reads reads) {
  const std::lock_guard lock(mutex_);
  const TreeSample sample = tree_.sample(reads);
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
