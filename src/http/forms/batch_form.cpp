#include "http/forms/batch_form.h"

#include <algorithm>

#include "http/forms/resize_form.h"

namespace image_resize::http {
namespace {

using core::ErrorCode;

bool is_file(const FormPart& part) { return part.name == "file"; }

// The parts with only the first `file`: the single-upload rules read the rest of the form
// from them.
std::vector<FormPart> with_first_file_only(const std::vector<FormPart>& parts) {
  std::vector<FormPart> kept;
  bool file_seen = false;
  for (const FormPart& part : parts) {
    if (is_file(part) && std::exchange(file_seen, true)) continue;
    kept.push_back(part);
  }
  return kept;
}

core::Result<std::vector<BatchFileForm>> read_files(const std::vector<FormPart>& parts) {
  std::vector<BatchFileForm> files;
  for (const FormPart& part : parts) {
    if (!is_file(part)) continue;
    const std::string number = std::to_string(files.size() + 1);
    if (part.data.empty()) {
      return core::Error::make(ErrorCode::no_file, "file " + number + " is empty; attach an image");
    }
    files.push_back({part.data, part.filename.empty() ? "file-" + number : part.filename});
  }
  return files;
}

}  // namespace

core::Result<std::optional<BatchForm>> parse_batch_form(const std::vector<FormPart>& parts,
                                                        const Presets& presets, bool only_presets,
                                                        const core::Limits& limits) {
  const auto file_count =
      static_cast<std::size_t>(std::count_if(parts.begin(), parts.end(), is_file));
  if (file_count > static_cast<std::size_t>(limits.max_batch_files)) {
    return core::Error::make(ErrorCode::too_many_files, "an upload may send at most " +
                                                            std::to_string(limits.max_batch_files) +
                                                            " files; this one sent " +
                                                            std::to_string(file_count));
  }
  const std::vector<FormPart> form_parts = with_first_file_only(parts);
  auto variants = parse_variants(form_parts, presets, only_presets, limits);
  if (!variants.ok()) return variants.error();
  if (variants->empty() && file_count <= 1) return std::optional<BatchForm>();

  auto form = parse_resize_form(form_parts, limits,
                                variants->empty() ? SizeRule::required : SizeRule::optional);
  if (!form.ok()) return form.error();
  if (file_count > 1 && !form->source_url.empty()) {
    return core::Error::make(ErrorCode::conflicting_source,
                             "send the images either in 'file' fields or as an address in 'url', "
                             "not both");
  }
  auto files = read_files(parts);
  if (!files.ok()) return files.error();

  BatchForm batch{.files = std::move(files).value(),
                  .source_url = std::move(form->source_url),
                  .callback_url = std::move(form->callback_url),
                  .variants = std::move(variants).value()};
  if (batch.variants.empty()) batch.variants.push_back({"", form->spec});
  const bool priority_given = std::any_of(parts.begin(), parts.end(), [](const FormPart& part) {
    return part.name == "priority" && !part.data.empty();
  });
  for (Variant& variant : batch.variants) {
    variant.spec.priority = priority_given ? form->spec.priority : core::Priority::low;
  }
  return std::optional<BatchForm>(std::move(batch));
}

}  // namespace image_resize::http
