#pragma once
// Faults on demand, for the crash-isolation tests: compiled in only with the CMake option
// IMAGE_RESIZE_TEST_HOOKS (on in test builds, off in release builds), else a no-op.

#include <string_view>

namespace image_resize::imaging {

// An input holding this text (e.g. in a JPEG comment) makes resize() abort the process, as a
// libvips bug hit by a hostile file would.
inline constexpr std::string_view kTestAbortMarker = "image-resize-test-hook:abort";
// An input holding this text makes resize() hang without ever checking its deadline, as a
// decoder stuck in a loop would.
inline constexpr std::string_view kTestHangMarker = "image-resize-test-hook:hang";

// An input holding this text makes resize() wait 40 s (longer than the default 30 s lease)
// before it goes on as usual, as a very large image would.
inline constexpr std::string_view kTestSlowMarker = "image-resize-test-hook:sleep-40s";

// Acts on a marker in `input` when test hooks are compiled in.
void run_test_hooks(std::string_view input);

}  // namespace image_resize::imaging
