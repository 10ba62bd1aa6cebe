#pragma once
// Inputs that make the tests' fault-injecting build (image-resize-fault-hooks) misbehave: as a
// decoder bug hit by a hostile file would, or as a machine that dies at the worst moment. The
// image-resize binary itself knows none of them.

#include <string_view>

namespace image_resize::testing {

// The imaging helper aborts.
inline constexpr std::string_view kFaultAbortMarker = "image-resize-test-hook:abort";
// The imaging helper hangs without ever checking its deadline, as a decoder stuck in a loop.
inline constexpr std::string_view kFaultHangMarker = "image-resize-test-hook:hang";
// The imaging helper waits 40 s (longer than the default 30 s lease), then resizes as usual,
// as a very large image would.
inline constexpr std::string_view kFaultSlowMarker = "image-resize-test-hook:sleep-40s";

// An upload with this Idempotency-Key: the server is SIGKILLed once its tasks and their answer
// are stored, before it answers.
inline constexpr std::string_view kFaultKillAfterStoringKey = "image-resize-test-hook:kill";

}  // namespace image_resize::testing
