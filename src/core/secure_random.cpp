#include "core/secure_random.h"

#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace image_resize::core {
namespace {

// 256 task ids a syscall: the call costs about a microsecond, a batch a fraction of that per id.
constexpr std::size_t kBatchBytes = 4096;

struct Batch {
  std::array<unsigned char, kBatchBytes> bytes{};
  std::size_t used = kBatchBytes;  // empty
  pid_t owner = 0;                 // the process that drew it
};

void fill_from_kernel(unsigned char* out, std::size_t size) {
  while (size > 0) {
    const ssize_t got = ::getrandom(out, size, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      std::perror("getrandom");
      std::abort();
    }
    out += got;
    size -= static_cast<std::size_t>(got);
  }
}

}  // namespace

void secure_random_bytes(std::span<unsigned char> out) {
  thread_local Batch batch;
  const pid_t self = ::getpid();
  if (batch.owner != self) {  // first use, or a child after fork: never reuse the parent's
    batch.used = kBatchBytes;
    batch.owner = self;
  }
  while (!out.empty()) {
    if (batch.used == kBatchBytes) {
      fill_from_kernel(batch.bytes.data(), kBatchBytes);
      batch.used = 0;
    }
    const std::size_t n = std::min(out.size(), kBatchBytes - batch.used);
    std::copy_n(batch.bytes.data() + batch.used, n, out.data());
    // Handed out once: wipe it, so a later memory disclosure shows no issued id's bytes.
    std::fill_n(batch.bytes.data() + batch.used, n, 0);
    batch.used += n;
    out = out.subspan(n);
  }
}

}  // namespace image_resize::core
