#pragma once
// Runs MultipartParser over a list of chunks and records what it reports, checking on the way
// the handler contract of multipart_parser.h: events in order, data never empty, pointing into
// the chunk being fed or held-back delimiter bytes, nothing after the parser has stopped, and a
// failure that sticks.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_support.h"
#include "http/multipart/multipart_parser.h"

namespace image_resize::fuzz {

// Parts with these names make the handler fail at that event, to exercise how the parser
// passes on a handler's error.
inline constexpr std::string_view kFailOnBegin = "fail-begin";
inline constexpr std::string_view kFailOnData = "fail-data";
inline constexpr std::string_view kFailOnEnd = "fail-end";
inline constexpr std::string_view kInjectedPrefix = "injected failure";

struct RecordedPart {
  http::PartHeaders headers;
  std::string data;
  bool ended = false;
  bool operator==(const RecordedPart&) const = default;
};

inline bool same_error(const core::Error& a, const core::Error& b) {
  return a.code == b.code && a.public_message == b.public_message &&
         a.internal_message == b.internal_message;
}

struct Outcome {
  std::vector<RecordedPart> parts;
  std::optional<core::Error> error;  // nullopt when feed() and finish() succeeded

  bool operator==(const Outcome& other) const {
    if (parts != other.parts || error.has_value() != other.error.has_value()) return false;
    return !error || same_error(*error, *other.error);
  }
};

inline bool points_into(std::string_view outer, std::string_view inner) {
  const auto outer_begin = reinterpret_cast<std::uintptr_t>(outer.data());
  const auto inner_begin = reinterpret_cast<std::uintptr_t>(inner.data());
  return inner_begin >= outer_begin && inner_begin + inner.size() <= outer_begin + outer.size();
}

class RecordingHandler final : public http::MultipartHandler {
 public:
  RecordingHandler(std::string_view delimiter, std::size_t max_parts, bool inject_failures)
      : delimiter_(delimiter), max_parts_(max_parts), inject_failures_(inject_failures) {}

  void set_chunk(std::string_view chunk) { chunk_ = chunk; }
  // After the parser has reported its end (error or success) it must not call us again.
  void stop() { stopped_ = true; }

  core::Status on_part_begin(const http::PartHeaders& headers) override {
    FUZZ_CHECK(!stopped_ && !in_part_);
    FUZZ_CHECK(!headers.name.empty());
    FUZZ_CHECK(parts_.size() < max_parts_);
    in_part_ = true;
    parts_.push_back(RecordedPart{headers, {}, false});
    return injected(kFailOnBegin);
  }

  core::Status on_part_data(std::string_view data) override {
    FUZZ_CHECK(!stopped_ && in_part_);
    FUZZ_CHECK(!data.empty());
    // Bytes held back from an earlier chunk are a proper prefix of the delimiter.
    FUZZ_CHECK(points_into(chunk_, data) ||
               (data.size() < delimiter_.size() && delimiter_.starts_with(data)));
    if (auto status = injected(kFailOnData); !status) return status;
    parts_.back().data.append(data);
    return {};
  }

  core::Status on_part_end() override {
    FUZZ_CHECK(!stopped_ && in_part_);
    in_part_ = false;
    parts_.back().ended = true;
    return injected(kFailOnEnd);
  }

  bool in_part() const { return in_part_; }
  std::vector<RecordedPart> take_parts() { return std::move(parts_); }

 private:
  core::Status injected(std::string_view event) const {
    if (!inject_failures_ || parts_.back().headers.name != event) return {};
    return core::Error::make(core::ErrorCode::internal,
                             std::string(kInjectedPrefix) + " at " + std::string(event));
  }

  // Constant after construction.
  const std::string delimiter_;
  const std::size_t max_parts_;
  const bool inject_failures_;

  std::string_view chunk_;
  bool in_part_ = false;
  bool stopped_ = false;
  std::vector<RecordedPart> parts_;
};

// Feeds `chunks` then calls finish(). Once a call fails, every later feed() and finish() must
// return that same error; after success, more input is an ignored epilogue.
inline Outcome run_parser(std::string_view boundary, http::MultipartLimits limits,
                          const std::vector<std::string_view>& chunks, bool inject_failures) {
  const std::string delimiter = "\r\n--" + std::string(boundary);
  RecordingHandler handler(delimiter, limits.max_parts, inject_failures);
  http::MultipartParser parser(boundary, limits, handler);
  std::optional<core::Error> error;
  const auto expect_same_failure = [&](const core::Status& status) {
    FUZZ_CHECK(!status.ok() && same_error(status.error(), *error));
  };
  for (const std::string_view chunk : chunks) {
    handler.set_chunk(chunk);
    const core::Status status = parser.feed(chunk);
    if (error) {
      expect_same_failure(status);
    } else if (!status.ok()) {
      error = status.error();
      handler.stop();
    }
  }
  handler.set_chunk({});
  if (const core::Status finished = parser.finish(); error) {
    expect_same_failure(finished);
  } else if (!finished.ok()) {
    error = finished.error();
  }
  handler.stop();

  // A whole part after the end: an error must stick, and an epilogue must be ignored.
  const std::string more = delimiter + "\r\nContent-Disposition: form-data; name=x\r\n\r\ny";
  handler.set_chunk(more);
  const core::Status fed_more = parser.feed(more);
  const core::Status finished_again = parser.finish();
  if (error) {
    expect_same_failure(fed_more);
    expect_same_failure(finished_again);
  } else {
    FUZZ_CHECK(fed_more.ok() && finished_again.ok());
    FUZZ_CHECK(!handler.in_part());
  }
  return Outcome{handler.take_parts(), std::move(error)};
}

}  // namespace image_resize::fuzz
