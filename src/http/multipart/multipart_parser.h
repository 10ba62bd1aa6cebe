#pragma once
// An incremental multipart/form-data parser (RFC 7578 on RFC 2046). It takes the body in chunks
// of any size, split anywhere, and reports parts through MultipartHandler without copying their
// data, so an upload can be streamed. Only part headers are buffered, up to a limit.
//
// Not thread-safe; one parser per request body.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "http/multipart/part_headers.h"

namespace image_resize::http {

struct MultipartLimits {
  // Bytes of one part's header lines, CRLFs included. Real parts need a few hundred; the cap
  // keeps a hostile body from growing our only buffer.
  std::size_t max_header_bytes = 8 * 1024;
  // Parts in one body. The resize form has about 20 fields; room for a few unknown ones (the
  // upload route adds room for --max-batch-files files).
  std::size_t max_parts = 32;
};

// Receives the parser's events, in order: for each part on_part_begin, on_part_data zero or
// more times, on_part_end. An error returned from any of them stops the parser with it.
class MultipartHandler {
 public:
  virtual ~MultipartHandler() = default;
  virtual core::Status on_part_begin(const PartHeaders& headers) = 0;
  // `data` is never empty and is valid only during the call. It points into the chunk being
  // fed, except for bytes held back at the end of an earlier chunk because they looked like
  // the start of a boundary: those are handed out from the parser's copy of the boundary.
  virtual core::Status on_part_data(std::string_view data) = 0;
  virtual core::Status on_part_end() = 0;
};

class MultipartParser {
 public:
  // `boundary` is the Content-Type parameter (see form_data_boundary), without the leading
  // "--". An unusable one (empty, over 70 characters, CR or LF) fails the first feed().
  MultipartParser(std::string_view boundary, MultipartLimits limits, MultipartHandler& handler);
  MultipartParser(const MultipartParser&) = delete;
  MultipartParser& operator=(const MultipartParser&) = delete;

  // Consumes the whole chunk. Errors are malformed_request (or the handler's); after one,
  // every later call returns the same error.
  core::Status feed(std::string_view chunk);
  // Call at the end of the body: fails unless the closing boundary was seen.
  core::Status finish();

 private:
  enum class State { preamble, after_delimiter, headers, data, epilogue, failed };
  // Where we are in the rest of a boundary line: "--" (the end) or optional spaces then CRLF.
  enum class LineState { start, dash, padding, cr };

  core::Status scan_for_delimiter(std::string_view& chunk);
  core::Status read_after_delimiter(std::string_view& chunk);
  core::Status read_headers(std::string_view& chunk);
  core::Status emit(std::string_view data);
  core::Status on_delimiter();
  core::Status begin_part();
  core::Status end_headers();
  core::Status fail(core::Error error);

  // Constant after construction.
  const std::string delimiter_;  // "\r\n--" + boundary
  const MultipartLimits limits_;
  MultipartHandler& handler_;

  State state_ = State::preamble;
  LineState line_state_ = LineState::start;
  // Bytes of delimiter_ matched at the end of the chunks fed so far. The body starts as if
  // after a CRLF, so that a first boundary on the first line is found.
  std::size_t matched_ = 2;
  std::size_t parts_ = 0;
  std::size_t bytes_fed_ = 0;
  std::string header_buffer_;
  std::optional<core::Error> failure_;
};

}  // namespace image_resize::http
