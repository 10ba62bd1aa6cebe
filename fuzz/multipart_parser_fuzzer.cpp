// Fuzzes the incremental multipart/form-data parser, and the Content-Type parser on the way.
//
// Input: [flags][n chunk sizes][Content-Type value]\n[body]
//   flags, one byte: bits 0-2 are n, the number of chunk-size bytes that follow (0: feed the
//   body byte by byte); bit 3 selects tight limits (64 header bytes, 3 parts); bit 6 makes parts
//   named fail-begin, fail-data or fail-end fail in the handler. So in ASCII: '0'..'7' are n,
//   '8' and '9' add tight limits, '@'..'G' add failures, 'H'..'O' both.
//   The boundary is form_data_boundary(Content-Type); when that refuses the line, the line
//   itself is the boundary, since the parser must cope with any string.
//
// Properties (a broken one aborts):
//   1. The body fed whole and fed in the chosen chunks gives the same parts and the same
//      result, error message included.
//   2. The handler contract (multipart_recorder.h); part data totals at most the body size and
//      never contains the delimiter; a success has every part ended.
//   3. Errors stick; after success, more input is ignored (multipart_recorder.h).
//   4. parse_multipart agrees with the parser, its data pointing into the body.
//   5. parse_content_type gives lowercase media types and parameter names.
//   6. A success round-trips: the parts written back as a canonical body parse to the same parts.
#include <algorithm>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "http/multipart/content_type.h"
#include "http/multipart/form_parts.h"
#include "multipart_recorder.h"

namespace image_resize::fuzz {
namespace {

constexpr std::size_t kMaxBoundaryLength = 70;  // RFC 2046 §5.1.1
constexpr std::string_view kBoundaryChars =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ";

struct FuzzInput {
  std::string_view chunk_sizes;
  bool tight_limits = false;
  bool inject_failures = false;
  std::string_view content_type;
  std::string_view body;
};

FuzzInput read_input(const std::uint8_t* data, std::size_t size) {
  InputReader input(data, size);
  FuzzInput parsed;
  const std::uint8_t flags = input.byte();
  parsed.chunk_sizes = input.bytes(flags & 0x07U);
  parsed.tight_limits = (flags & 0x08U) != 0;
  parsed.inject_failures = (flags & 0x40U) != 0;
  parsed.content_type = input.line();
  parsed.body = input.rest();
  return parsed;
}

// The body cut at the sizes, cycled; a 0 feeds an empty chunk. No sizes: one byte per chunk.
std::vector<std::string_view> split(std::string_view body, std::string_view sizes) {
  std::vector<std::string_view> chunks;
  std::size_t next = 0;
  std::size_t empty_in_a_row = 0;
  while (!body.empty()) {
    std::size_t size = 1;
    if (!sizes.empty()) size = static_cast<unsigned char>(sizes[next++ % sizes.size()]);
    empty_in_a_row = size == 0 ? empty_in_a_row + 1 : 0;
    if (empty_in_a_row > sizes.size()) size = body.size();  // every size is 0
    chunks.push_back(body.substr(0, size));
    body.remove_prefix(chunks.back().size());
  }
  return chunks;
}

bool is_lowercase(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// parse_content_type gives a lowercase `type/subtype` and lowercase, non-empty parameter names.
void check_content_type(std::string_view header_value) {
  const auto content_type = http::parse_content_type(header_value);
  if (!content_type.ok()) {
    FUZZ_CHECK(content_type.error().code == core::ErrorCode::malformed_request);
    return;
  }
  const std::string& media = content_type->media_type;
  const std::size_t slash = media.find('/');
  FUZZ_CHECK(slash != std::string::npos && slash > 0 && slash + 1 < media.size());
  FUZZ_CHECK(is_lowercase(media));
  for (const auto& [name, value] : content_type->parameters) {
    FUZZ_CHECK(!name.empty() && is_lowercase(name));
    FUZZ_CHECK(content_type->parameter(name) == &value);
  }
}

// form_data_boundary either refuses, with one of its two documented codes, or returns a
// boundary RFC 2046 allows.
std::string choose_boundary(std::string_view content_type) {
  check_content_type(content_type);
  const auto boundary = http::form_data_boundary(content_type);
  if (!boundary.ok()) {
    FUZZ_CHECK(boundary.error().code == core::ErrorCode::unsupported_media_type ||
               boundary.error().code == core::ErrorCode::malformed_request);
    return std::string(content_type);
  }
  const std::string& value = *boundary;
  FUZZ_CHECK(!value.empty() && value.size() <= kMaxBoundaryLength && value.back() != ' ');
  FUZZ_CHECK(value.find_first_not_of(kBoundaryChars) == std::string::npos);
  return value;
}

void check_outcome(const Outcome& outcome, std::string_view body, std::string_view boundary,
                   const http::MultipartLimits& limits) {
  const std::string delimiter = "\r\n--" + std::string(boundary);
  std::size_t data_bytes = 0;
  for (const RecordedPart& part : outcome.parts) {
    data_bytes += part.data.size();
    FUZZ_CHECK(part.data.find(delimiter) == std::string::npos);
    FUZZ_CHECK(part.ended || outcome.error);
  }
  FUZZ_CHECK(data_bytes <= body.size());
  FUZZ_CHECK(outcome.parts.size() <= limits.max_parts);
  if (outcome.error) {
    const core::Error& error = *outcome.error;
    FUZZ_CHECK(error.code == core::ErrorCode::malformed_request ||
               (error.code == core::ErrorCode::internal &&
                error.public_message.starts_with(kInjectedPrefix)));
    FUZZ_CHECK(!error.public_message.empty());
  }
}

void check_form_parts(const Outcome& outcome, std::string_view body, std::string_view boundary,
                      const http::MultipartLimits& limits) {
  const auto parts = http::parse_multipart(body, boundary, limits);
  FUZZ_CHECK(parts.ok() == !outcome.error.has_value());
  if (!parts.ok()) {
    FUZZ_CHECK(same_error(parts.error(), *outcome.error));
    return;
  }
  FUZZ_CHECK(parts->size() == outcome.parts.size());
  for (std::size_t i = 0; i < parts->size(); ++i) {
    const http::FormPart& part = (*parts)[i];
    const RecordedPart& recorded = outcome.parts[i];
    FUZZ_CHECK(part.name == recorded.headers.name && part.filename == recorded.headers.filename &&
               part.content_type == recorded.headers.content_type);
    FUZZ_CHECK(part.data == recorded.data);
    FUZZ_CHECK(part.data.empty() || points_into(body, part.data));
  }
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

// RFC 5987 ext-value with every byte escaped, so any filename survives.
std::string ext_value(std::string_view text) {
  std::string out = "UTF-8''";
  for (char c : text) {
    char escaped[4];
    std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
    out += escaped;
  }
  return out;
}

std::string canonical_body(std::string_view boundary, const std::vector<RecordedPart>& parts) {
  std::string body;
  for (const RecordedPart& part : parts) {
    body += "--" + std::string(boundary) + "\r\n";
    body += "Content-Disposition: form-data; name=" + quoted(part.headers.name);
    if (!part.headers.filename.empty()) body += "; filename*=" + ext_value(part.headers.filename);
    body += "\r\n";
    if (!part.headers.content_type.empty()) {
      body += "Content-Type: " + part.headers.content_type + "\r\n";
    }
    body += "\r\n" + part.data + "\r\n";
  }
  return body + "--" + std::string(boundary) + "--\r\n";
}

void check_round_trip(std::string_view boundary, const std::vector<RecordedPart>& parts) {
  const std::string body = canonical_body(boundary, parts);
  constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();
  const auto reparsed = http::parse_multipart(body, boundary, {kNoLimit, kNoLimit});
  FUZZ_CHECK(reparsed.ok());
  FUZZ_CHECK(reparsed->size() == parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const http::FormPart& part = (*reparsed)[i];
    FUZZ_CHECK(part.name == parts[i].headers.name);
    FUZZ_CHECK(part.filename == parts[i].headers.filename);
    FUZZ_CHECK(part.content_type == parts[i].headers.content_type);
    FUZZ_CHECK(part.data == parts[i].data);
  }
}

}  // namespace
}  // namespace image_resize::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace image_resize;
  const fuzz::FuzzInput input = fuzz::read_input(data, size);
  const std::string boundary = fuzz::choose_boundary(input.content_type);
  const http::MultipartLimits limits =
      input.tight_limits ? http::MultipartLimits{64, 3} : http::MultipartLimits{};

  const fuzz::Outcome whole =
      fuzz::run_parser(boundary, limits, {input.body}, input.inject_failures);
  const fuzz::Outcome chunked = fuzz::run_parser(
      boundary, limits, fuzz::split(input.body, input.chunk_sizes), input.inject_failures);
  FUZZ_CHECK(whole == chunked);
  fuzz::check_outcome(whole, input.body, boundary, limits);
  if (!input.inject_failures) fuzz::check_form_parts(whole, input.body, boundary, limits);
  if (!whole.error) fuzz::check_round_trip(boundary, whole.parts);
  return 0;
}
