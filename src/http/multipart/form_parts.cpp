#include "http/multipart/form_parts.h"

namespace image_resize::http {
namespace {

// Collects parts; with the body fed in one piece every part's data arrives as one span, but
// adjacent spans are joined in case a future parser splits them.
class PartCollector final : public MultipartHandler {
 public:
  core::Status on_part_begin(const PartHeaders& headers) override {
    parts_.push_back(FormPart{headers.name, headers.filename, headers.content_type, {}});
    return {};
  }

  core::Status on_part_data(std::string_view data) override {
    std::string_view& current = parts_.back().data;
    if (current.empty()) {
      current = data;
    } else if (current.data() + current.size() == data.data()) {
      current = std::string_view(current.data(), current.size() + data.size());
    } else {
      return core::Error::make(core::ErrorCode::internal, "could not read the upload",
                               "multipart part data is not contiguous in the body");
    }
    return {};
  }

  core::Status on_part_end() override { return {}; }

  std::vector<FormPart> take_parts() { return std::move(parts_); }

 private:
  std::vector<FormPart> parts_;
};

}  // namespace

core::Result<std::vector<FormPart>> parse_multipart(std::string_view body,
                                                    std::string_view boundary,
                                                    MultipartLimits limits) {
  PartCollector collector;
  MultipartParser parser(boundary, limits, collector);
  if (auto status = parser.feed(body); !status) return status.error();
  if (auto status = parser.finish(); !status) return status.error();
  return collector.take_parts();
}

}  // namespace image_resize::http
