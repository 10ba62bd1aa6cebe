#pragma once
// Helpers for the multipart tests: building bodies, and running the incremental parser over a
// given chunking while recording what it reports, so chunkings can be compared.

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "http/multipart/multipart_parser.h"

namespace image_resize::http::multipart_test {

// One part for build_body: its raw header lines (each ending CRLF) and its data.
struct RawPart {
  std::string headers;
  std::string data;
};

inline std::string disposition(std::string_view name) {
  return "Content-Disposition: form-data; name=\"" + std::string(name) + "\"\r\n";
}

inline RawPart text_part(std::string_view name, std::string value) {
  return {disposition(name), std::move(value)};
}

inline RawPart file_part(std::string_view name, std::string_view filename, std::string data,
                         std::string_view content_type = "application/octet-stream") {
  return {"Content-Disposition: form-data; name=\"" + std::string(name) + "\"; filename=\"" +
              std::string(filename) + "\"\r\nContent-Type: " + std::string(content_type) + "\r\n",
          std::move(data)};
}

// A body as browsers and curl send it: each part as "--b CRLF headers CRLF data CRLF", then
// "--b--" and an optional epilogue.
inline std::string build_body(std::string_view boundary, const std::vector<RawPart>& parts,
                              std::string_view preamble = "", std::string_view epilogue = "\r\n") {
  std::string body(preamble);
  for (const RawPart& part : parts) {
    body += "--" + std::string(boundary) + "\r\n" + part.headers + "\r\n" + part.data + "\r\n";
  }
  body += "--" + std::string(boundary) + "--" + std::string(epilogue);
  return body;
}

struct RecordedPart {
  PartHeaders headers;
  std::string data;
  int data_events = 0;
  bool ended = false;
  bool operator==(const RecordedPart& other) const {
    return headers == other.headers && data == other.data && ended == other.ended;
  }
};

// What a parse produced: the parts seen (complete or not) and how it ended.
struct Outcome {
  std::vector<RecordedPart> parts;
  bool ok = true;
  core::ErrorCode code = core::ErrorCode::internal;
  std::string message;
  bool operator==(const Outcome&) const = default;
};

void PrintTo(const Outcome& outcome, std::ostream* os);

class RecordingHandler final : public MultipartHandler {
 public:
  core::Status on_part_begin(const PartHeaders& headers) override;
  core::Status on_part_data(std::string_view data) override;
  core::Status on_part_end() override;

  // The chunk being fed, to check that spans point into it (or are boundary bytes held back).
  void set_chunk(std::string_view chunk, std::string_view delimiter);
  std::vector<RecordedPart> parts;
  int spans_outside_chunk = 0;  // spans neither in the chunk nor a delimiter prefix

 private:
  std::string_view chunk_;
  std::string_view delimiter_;
};

Outcome run_parser(std::string_view boundary, const std::vector<std::string_view>& chunks,
                   MultipartLimits limits = {}, int* spans_outside_chunk = nullptr);
Outcome run_whole(std::string_view boundary, std::string_view body, MultipartLimits limits = {});

}  // namespace image_resize::http::multipart_test
