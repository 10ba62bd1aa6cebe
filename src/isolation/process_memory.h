#pragma once
// Resident memory of a process, for the /metrics gauges (this process, and its imaging helpers).

#include <sys/types.h>

#include <cstdint>

namespace image_resize::isolation {

// From /proc/<pid>/statm (pid 0: this process); 0 if unreadable, e.g. the process is gone.
std::uint64_t resident_memory_bytes(pid_t pid = 0);

}  // namespace image_resize::isolation
