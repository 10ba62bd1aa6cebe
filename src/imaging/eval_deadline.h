#pragma once
// Stops libvips when a deadline passes, in the middle of computing an image, because a check
// between steps cannot stop one slow step (after sharp's SetTimeout and libvips'
// examples/progress-cancel.c): progress signals are
// turned on for the image, and its "eval" handler sets the image's kill flag once the deadline
// has passed, which makes the computation fail. Images derived from it signal through it too.
// Lives as long as the computation; disconnects its handler when destroyed.

#include <chrono>
#include <vips/vips8>

namespace image_resize::imaging {

class EvalDeadline {
 public:
  EvalDeadline(const vips::VImage& image, std::chrono::steady_clock::time_point deadline);
  ~EvalDeadline();
  EvalDeadline(const EvalDeadline&) = delete;
  EvalDeadline& operator=(const EvalDeadline&) = delete;

 private:
  VipsImage* image_;  // a reference is held while the handler is connected
  const std::chrono::steady_clock::time_point deadline_;
  gulong handler_ = 0;
};

}  // namespace image_resize::imaging
