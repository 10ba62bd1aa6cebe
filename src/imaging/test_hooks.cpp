#include "imaging/test_hooks.h"

#include <chrono>
#include <cstdlib>
#include <thread>

namespace image_resize::imaging {

void run_test_hooks([[maybe_unused]] std::string_view input) {
#ifdef IMAGE_RESIZE_TEST_HOOKS
  if (input.find(kTestAbortMarker) != std::string_view::npos) std::abort();
  if (input.find(kTestSlowMarker) != std::string_view::npos) {
    std::this_thread::sleep_for(std::chrono::seconds(40));
  }
  if (input.find(kTestHangMarker) != std::string_view::npos) {
    while (true) std::this_thread::sleep_for(std::chrono::hours(1));
  }
#endif
}

}  // namespace image_resize::imaging
