#include "imaging/vips_runtime.h"

#include <mutex>
#include <string>
#include <vips/vips8>

#include "core/log.h"

namespace image_resize::imaging {
namespace {

// Forwards GLib messages of the "VIPS" domain (warnings such as "error in tile 0 x 56") to our
// logger, so they carry our format instead of going raw to stderr.
void forward_vips_log(const gchar* /*domain*/, GLogLevelFlags level, const gchar* message,
                      gpointer /*user_data*/) {
  const std::string_view text = message != nullptr ? message : "";
  const core::log::Field field{"source", "libvips"};
  if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) != 0) {
    core::log::error(text, {field});
  } else if ((level & G_LOG_LEVEL_WARNING) != 0) {
    core::log::warn(text, {field});
  } else if ((level & G_LOG_LEVEL_MESSAGE) != 0) {
    core::log::info(text, {field});
  } else {  // info and debug: libvips' progress chatter ("reduceh: 19 point mask")
    core::log::debug(text, {field});
  }
}

core::Status start() {
  if (vips_init("image-resize") != 0) {
    std::string detail = vips_error_buffer();
    vips_error_clear();
    return core::Error::make(core::ErrorCode::internal, "The imaging library failed to start.",
                             "vips_init failed: " + detail);
  }
  vips_cache_set_max(0);
  vips_concurrency_set(VipsRuntime::kConcurrency);
  // Loaders libvips marks untrusted (ImageMagick, SVG, PDF, ...) are too large an attack surface
  // for uploads; blocked ones refuse to run even if a caller names them.
  vips_block_untrusted_set(TRUE);
  // The JPEG XL saver is marked untrusted too, but it only encodes our own pixels; its loader
  // stays blocked.
  vips_operation_block_set("VipsForeignSaveJxl", FALSE);
  const auto levels =
      static_cast<GLogLevelFlags>(G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION);
  g_log_set_handler("VIPS", levels, forward_vips_log, nullptr);
  core::log::info("libvips started", {{"version", vips_version_string()},
                                      {"concurrency", std::to_string(VipsRuntime::kConcurrency)}});
  return {};
}

}  // namespace

core::Status VipsRuntime::ensure_started() {
  static std::once_flag once;
  static core::Status status;
  std::call_once(once, [] { status = start(); });
  return status;
}

VipsMemory vips_memory() {
  return VipsMemory{.bytes = static_cast<std::int64_t>(vips_tracked_get_mem()),
                    .peak_bytes = static_cast<std::int64_t>(vips_tracked_get_mem_highwater()),
                    .allocations = vips_tracked_get_allocs(),
                    .open_files = vips_tracked_get_files()};
}

}  // namespace image_resize::imaging
