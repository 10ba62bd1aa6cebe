#include "http/request_id.h"

#include <algorithm>
#include <array>
#include <random>

namespace image_resize::http {
namespace {

bool is_plain_token(std::string_view text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::string random_id() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  static constexpr std::array<char, 16> kHex{'0', '1', '2', '3', '4', '5', '6', '7',
                                             '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::uint64_t bits = generator();
  std::string id(16, '0');
  for (char& c : id) {
    c = kHex[bits & 0xF];
    bits >>= 4;
  }
  return id;
}

}  // namespace

std::string request_id_for(std::string_view client_value) {
  return is_plain_token(client_value) ? std::string(client_value) : random_id();
}

}  // namespace image_resize::http
