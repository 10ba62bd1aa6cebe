#include "imaging/eval_deadline.h"

namespace image_resize::imaging {
namespace {

void on_eval(VipsImage* image, VipsProgress* progress, gpointer user_data) {
  const auto* deadline = static_cast<const std::chrono::steady_clock::time_point*>(user_data);
  if (std::chrono::steady_clock::now() < *deadline) return;
  // The signal comes from our image, but the computation that checks the flag may be of an
  // image the saver derived from it: progress->im.
  vips_image_set_kill(image, TRUE);
  if (progress != nullptr && progress->im != nullptr) vips_image_set_kill(progress->im, TRUE);
}

}  // namespace

EvalDeadline::EvalDeadline(const vips::VImage& image,
                           std::chrono::steady_clock::time_point deadline)
    : image_(image.get_image()), deadline_(deadline) {
  g_object_ref(image_);
  vips_image_set_progress(image_, TRUE);
  handler_ = g_signal_connect(image_, "eval", G_CALLBACK(on_eval),
                              const_cast<std::chrono::steady_clock::time_point*>(&deadline_));
}

EvalDeadline::~EvalDeadline() {
  g_signal_handler_disconnect(image_, handler_);
  g_object_unref(image_);
}

}  // namespace image_resize::imaging
