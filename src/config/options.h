#pragma once
// Every option of image-resize, once: its name, the modes that read it, its help, how to show
// an AppConfig's value of it, and how to set it from text. The flag defaults are shown from a
// default AppConfig, so a default is written in one place only: its config struct.

#include <span>
#include <string>

#include "config/app_config.h"

namespace image_resize::config {

// Modes as bits, for the modes an option applies to.
enum ModeBit : unsigned {
  kServe = 1,
  kApi = 2,
  kWorker = 4,
  kImagingHelper = 8,
  kAllModes = kServe | kApi | kWorker | kImagingHelper,
};
unsigned bit_of(Mode mode);

// Raised by Option::apply for a value that does not parse.
struct BadValue {
  std::string message;
};

struct Option {
  const char* name;  // the flag without "--"; the variable is IMAGE_RESIZE_ + NAME_IN_CAPS
  unsigned modes;    // ModeBits of the modes that read it
  const char* help;
  // The value of `config` as flag text ("30s", "50MiB", "" for none).
  std::string (*show)(const AppConfig& config);
  // Sets the value from flag text; throws BadValue.
  void (*apply)(AppConfig& config, const std::string& text);
};

std::span<const Option> all_options();

// "30s", "5m", "250ms", "30d": the largest unit that divides the duration.
std::string format_duration(std::chrono::milliseconds duration);
// "50MiB", "512KiB", "1GiB" or plain bytes: the largest unit that divides the size.
std::string format_byte_size(std::uint64_t bytes);

}  // namespace image_resize::config
