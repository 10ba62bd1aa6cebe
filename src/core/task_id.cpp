#include "core/task_id.h"

#include <array>
#include <cctype>

#include "core/secure_random.h"

namespace image_resize::core {

TaskId TaskId::generate() {
  std::array<unsigned char, 16> bytes{};
  secure_random_bytes(bytes);
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant

  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(kHex[bytes[i] >> 4]);
    text.push_back(kHex[bytes[i] & 0x0F]);
  }
  return TaskId(std::move(text));
}

std::optional<TaskId> TaskId::parse(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::string canonical;
  canonical.reserve(36);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position) {
      if (c != '-') return std::nullopt;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
    canonical.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return TaskId(std::move(canonical));
}

}  // namespace image_resize::core
