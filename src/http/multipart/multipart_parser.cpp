#include "http/multipart/multipart_parser.h"

#include <algorithm>

namespace image_resize::http {
namespace {

constexpr std::size_t kMaxBoundaryLength = 70;  // RFC 2046 §5.1.1
constexpr std::string_view kCrlf = "\r\n";

core::Error malformed(std::string message) {
  return core::Error::make(core::ErrorCode::malformed_request, std::move(message));
}

std::size_t common_prefix(std::string_view a, std::string_view b) {
  const auto mismatch =
      std::mismatch(a.begin(), a.begin() + std::min(a.size(), b.size()), b.begin());
  return static_cast<std::size_t>(mismatch.first - a.begin());
}

}  // namespace

MultipartParser::MultipartParser(std::string_view boundary, MultipartLimits limits,
                                 MultipartHandler& handler)
    : delimiter_("\r\n--" + std::string(boundary)), limits_(limits), handler_(handler) {
  // The scan relies on '\r' appearing in the delimiter only at its start.
  if (boundary.empty() || boundary.size() > kMaxBoundaryLength ||
      boundary.find_first_of(kCrlf) != std::string_view::npos) {
    state_ = State::failed;
    failure_ = malformed("the multipart boundary must be 1 to 70 characters without CR or LF");
  }
}

core::Status MultipartParser::feed(std::string_view chunk) {
  bytes_fed_ += chunk.size();
  // Every step consumes at least one byte or changes state towards one that does.
  while (!chunk.empty()) {
    core::Status status;
    switch (state_) {
      case State::preamble:
      case State::data: status = scan_for_delimiter(chunk); break;
      case State::after_delimiter: status = read_after_delimiter(chunk); break;
      case State::headers: status = read_headers(chunk); break;
      case State::epilogue: return {};  // ignored, as RFC 2046 says
      case State::failed: return *failure_;
    }
    if (!status) return fail(status.error());
  }
  if (state_ == State::failed) return *failure_;
  return {};
}

core::Status MultipartParser::finish() {
  switch (state_) {
    case State::epilogue: return {};
    case State::failed: return *failure_;
    case State::preamble:
      return fail(malformed(bytes_fed_ == 0 ? "the request body is empty; send multipart/form-data"
                                            : "the body has no multipart boundary line"));
    case State::data:
      return fail(malformed("the body ends inside a part: the closing boundary is missing"));
    case State::headers: return fail(malformed("the body ends inside a part's headers"));
    case State::after_delimiter:
      return fail(malformed("the body ends without the closing boundary ('--' after it)"));
  }
  return fail(malformed("the multipart body is incomplete"));
}

core::Status MultipartParser::scan_for_delimiter(std::string_view& chunk) {
  const std::string_view delimiter = delimiter_;
  if (matched_ > 0) {
    // A delimiter began in an earlier chunk: see whether this one completes it.
    std::size_t i = 0;
    while (i < chunk.size() && matched_ + i < delimiter.size() &&
           chunk[i] == delimiter[matched_ + i]) {
      ++i;
    }
    if (matched_ + i == delimiter.size()) {
      chunk.remove_prefix(i);
      matched_ = 0;
      return on_delimiter();
    }
    if (i == chunk.size()) {
      matched_ += i;
      chunk = {};
      return {};
    }
    // Not a delimiter: the held-back bytes were data. They equal the delimiter's first bytes,
    // so they are handed out from there. chunk[0, i) has no '\r', so cannot start a delimiter;
    // the scan below emits it as data.
    const std::size_t held = matched_;
    matched_ = 0;
    if (auto status = emit(delimiter.substr(0, held)); !status) return status;
  }
  std::size_t from = 0;
  while (true) {
    const std::size_t cr = chunk.find('\r', from);
    if (cr == std::string_view::npos) {
      auto status = emit(chunk);
      chunk = {};
      return status;
    }
    if (cr + 1 < chunk.size() && chunk[cr + 1] != '\n') {  // cheap reject for binary data
      from = cr + 1;
      continue;
    }
    const std::size_t common = common_prefix(chunk.substr(cr), delimiter);
    if (common == delimiter.size()) {
      if (auto status = emit(chunk.substr(0, cr)); !status) return status;
      chunk.remove_prefix(cr + delimiter.size());
      return on_delimiter();
    }
    if (cr + common == chunk.size()) {  // the chunk ends in what may be a delimiter
      auto status = emit(chunk.substr(0, cr));
      matched_ = common;
      chunk = {};
      return status;
    }
    from = cr + 1;
  }
}

core::Status MultipartParser::emit(std::string_view data) {
  if (state_ != State::data || data.empty()) return {};  // the preamble is ignored
  return handler_.on_part_data(data);
}

core::Status MultipartParser::on_delimiter() {
  const bool ends_part = state_ == State::data;
  state_ = State::after_delimiter;
  line_state_ = LineState::start;
  return ends_part ? handler_.on_part_end() : core::Status{};
}

core::Status MultipartParser::read_after_delimiter(std::string_view& chunk) {
  const auto junk = [] {
    return malformed("unexpected characters after a boundary; expected CRLF or '--'");
  };
  while (!chunk.empty()) {
    const char c = chunk.front();
    chunk.remove_prefix(1);
    const bool space = c == ' ' || c == '\t';
    switch (line_state_) {
      case LineState::start:
        if (c == '-')
          line_state_ = LineState::dash;
        else if (space)
          line_state_ = LineState::padding;
        else if (c == '\r')
          line_state_ = LineState::cr;
        else
          return junk();
        break;
      case LineState::dash:
        if (c != '-') return junk();
        state_ = State::epilogue;
        return {};
      case LineState::padding:
        if (c == '\r')
          line_state_ = LineState::cr;
        else if (!space)
          return junk();
        break;
      case LineState::cr:
        if (c != '\n') return junk();
        return begin_part();
    }
  }
  return {};
}

core::Status MultipartParser::begin_part() {
  if (parts_ == limits_.max_parts) {
    return malformed("the form has more than " + std::to_string(limits_.max_parts) + " parts");
  }
  ++parts_;
  header_buffer_.clear();
  state_ = State::headers;
  return {};
}

core::Status MultipartParser::read_headers(std::string_view& chunk) {
  const std::size_t lf = chunk.find('\n');
  const std::size_t take = lf == std::string_view::npos ? chunk.size() : lf + 1;
  if (header_buffer_.size() + take > limits_.max_header_bytes) {
    return malformed("part " + std::to_string(parts_) + " has headers longer than " +
                     std::to_string(limits_.max_header_bytes) + " bytes");
  }
  header_buffer_.append(chunk.substr(0, take));
  chunk.remove_prefix(take);
  if (lf == std::string_view::npos) return {};
  const std::string_view buffer = header_buffer_;
  if (!buffer.ends_with(kCrlf)) return malformed("part header lines must end with CRLF");
  if (buffer == kCrlf || buffer.ends_with("\r\n\r\n")) return end_headers();
  return {};
}

core::Status MultipartParser::end_headers() {
  const std::string_view buffer = header_buffer_;
  auto headers = parse_part_headers(buffer.substr(0, buffer.size() - kCrlf.size()));
  if (!headers) {
    return malformed("part " + std::to_string(parts_) + ": " + headers.error().public_message);
  }
  state_ = State::data;
  matched_ = 0;
  return handler_.on_part_begin(*headers);
}

core::Status MultipartParser::fail(core::Error error) {
  state_ = State::failed;
  failure_ = std::move(error);
  return *failure_;
}

}  // namespace image_resize::http
