#pragma once
// Parsers for the value syntaxes of flags: durations ("30d", "12h", "90s", "250ms", or plain
// seconds) and byte sizes ("50MiB", "512K", or plain bytes).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "storage/free_space.h"

namespace image_resize::config {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);
std::optional<std::uint64_t> parse_byte_size(std::string_view text);
// A size ("2G"), a percentage ("10%"), or both ("5%,1G": the smaller counts); "0" is no floor.
std::optional<storage::MinFreeSpace> parse_min_free_space(std::string_view text);
// true/false, yes/no, on/off, 1/0 (case-insensitive).
std::optional<bool> parse_bool(std::string_view text);

}  // namespace image_resize::config
