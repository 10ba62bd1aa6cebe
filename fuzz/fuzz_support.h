#pragma once
// Shared by the fuzz targets. Each target defines LLVMFuzzerTestOneInput; clang links it with
// libFuzzer (scripts/fuzz.sh), g++ links it with the corpus replay test (tests/unit/fuzz_replay),
// so nothing here may need clang's <fuzzer/FuzzedDataProvider.h>.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace image_resize::fuzz {

// A broken invariant is a finding: say which, then abort so libFuzzer saves the input and the
// replay test fails.
[[noreturn]] inline void invariant_failed(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz invariant violated at %s:%d: %s\n", file, line, what);
  std::abort();
}

// Takes fixed-size fields off the front of the input, then hands out the rest.
class InputReader {
 public:
  InputReader(const std::uint8_t* data, std::size_t size)
      : rest_(reinterpret_cast<const char*>(data), size) {}

  // The next byte, or 0 once the input is used up.
  std::uint8_t byte() {
    if (rest_.empty()) return 0;
    const auto value = static_cast<std::uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return value;
  }

  // Up to `count` bytes.
  std::string_view bytes(std::size_t count) {
    const std::string_view taken = rest_.substr(0, count);
    rest_.remove_prefix(taken.size());
    return taken;
  }

  // Up to the next '\n', which is consumed and not returned; the rest when there is none.
  std::string_view line() {
    const std::size_t end = rest_.find('\n');
    const std::string_view taken = rest_.substr(0, end);
    rest_.remove_prefix(end == std::string_view::npos ? rest_.size() : end + 1);
    return taken;
  }

  std::string_view rest() const { return rest_; }

 private:
  std::string_view rest_;
};

}  // namespace image_resize::fuzz

#define FUZZ_CHECK(condition) \
  ((condition) ? void(0) : ::image_resize::fuzz::invariant_failed(#condition, __FILE__, __LINE__))
