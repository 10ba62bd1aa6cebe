#include "isolation/process_memory.h"

#include <unistd.h>

#include <fstream>
#include <string>

namespace image_resize::isolation {

std::uint64_t resident_memory_bytes(pid_t pid) {
  std::string path = "/proc/";
  path.append(pid == 0 ? std::string("self") : std::to_string(pid)).append("/statm");
  std::ifstream statm(path);
  std::uint64_t total_pages = 0;
  std::uint64_t resident_pages = 0;
  if (!(statm >> total_pages >> resident_pages)) return 0;
  return resident_pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace image_resize::isolation
