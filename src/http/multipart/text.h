#pragma once
// Small ASCII helpers shared by the header, multipart and query parsers. HTTP header names,
// media types and our enum values are ASCII and case-insensitive; locale must not matter.

#include <optional>
#include <string>
#include <string_view>

namespace image_resize::http::text {

char ascii_lower(char c);
std::string ascii_lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
// Drops spaces and tabs at both ends (HTTP "optional whitespace").
std::string_view trim_ows(std::string_view text);
// RFC 7230 tchar: the characters of a header name or media type.
bool is_token_char(char c);
bool is_token(std::string_view text);
// "%41" → "A"; with plus_as_space (query strings) "+" → " ". nullopt for a bad escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space);

}  // namespace image_resize::http::text
