#pragma once
// The tables of bad_input_corpus_test.cpp: hostile and broken requests, each with what the
// server must answer. The files come from tests/fixtures/bad/ (make_bad_inputs.py).

#include <iosfwd>
#include <string>
#include <vector>

namespace image_resize::integration {

// What one request must get.
struct Expected {
  enum class Kind {
    error,                    // answered at once: `status` and the JSON error `code`
    ok,                       // answered at once with `status`, not an error body
    accepted_then_success,    // 202, and the task ends SUCCESS
    accepted_then_failure,    // 202, and the task ends FAILURE with error.code `code`
    no_response_then_closed,  // no HTTP answer; the connection is closed, not left hanging
  };
  Kind kind = Kind::error;
  int status = 0;
  std::string code{};
};

Expected error(int status, std::string code);
Expected ok(int status);
Expected resized();
Expected decode_fails();
Expected closed_without_answer();

// One POST /api/v1/images/resize: a Content-Type and a body, as sent.
struct UploadCase {
  std::string name;
  std::string content_type;  // empty: no Content-Type header at all
  std::string body;
  Expected expected;
  // Non-empty when the server does not do what `expected` says (docs/API.md does): the case is
  // skipped with this text until the bug is fixed.
  std::string known_bug{};
};
// Names the case in test output; gtest finds it by this name.
void PrintTo(const UploadCase& c, std::ostream* out);  // NOLINT(readability-identifier-naming)

std::vector<UploadCase> broken_file_cases();   // truncated, corrupted, not images
std::vector<UploadCase> bomb_cases();          // over the pixel or frame limit
std::vector<UploadCase> size_field_cases();    // width and height values
std::vector<UploadCase> option_field_cases();  // gravity, dpr, flags, crop values
std::vector<UploadCase> malformed_multipart_cases();
std::vector<UploadCase> content_type_cases();

// A task id in the path of GET status, GET result and DELETE.
struct IdCase {
  std::string name;
  std::string id;  // as it goes in the request target (already percent-encoded)
  Expected expected;
  std::string known_bug{};  // as UploadCase::known_bug
};
void PrintTo(const IdCase& c, std::ostream* out);  // NOLINT(readability-identifier-naming)
std::vector<IdCase> id_cases();

// Bytes written as they are on a fresh connection; the first answer is checked.
struct RawCase {
  std::string name;
  std::string bytes;
  Expected expected;
  std::string known_bug{};  // as UploadCase::known_bug
  bool half_close = false;  // shut down our sending side after the bytes (no more will come)
};
void PrintTo(const RawCase& c, std::ostream* out);  // NOLINT(readability-identifier-naming)
std::vector<RawCase> raw_http_cases();

}  // namespace image_resize::integration
