#pragma once
// --presets-file: named lists of variants that an upload asks for by name (`preset` fields), so
// that clients need not spell sizes out, and with --only-presets may not. The file is JSON, an
// object of presets, each a list of 1..kMaxVariants variants (variant_fields.h):
//   {"thumb": [{"name": "thumb", "width": 150, "height": 150, "fit": "cover", "format": "webp"}],
//    "card": [{"name": "card", "width": 600}, {"name": "card_2x", "width": 600, "dpr": 2}]}
// Thread safety: immutable after parse; any thread may read it.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/limits.h"
#include "core/result.h"
#include "http/forms/variant_fields.h"

namespace image_resize::http {

class Presets {
 public:
  Presets() = default;  // none
  // Every variant is checked as a variant of an upload without fields of its own would be, so
  // that a preset never fails for its own sake; invalid_variants naming the preset, the
  // variant's index and the problem.
  static core::Result<Presets> parse(std::string_view json, const core::Limits& limits);

  bool empty() const { return presets_.empty(); }
  std::size_t size() const { return presets_.size(); }
  // nullptr for an unknown name.
  const std::vector<VariantFields>* find(std::string_view name) const;
  // "card, thumb", for messages.
  std::string names() const;
  // Every preset by name, in name order.
  const std::map<std::string, std::vector<VariantFields>, std::less<>>& all() const {
    return presets_;
  }

 private:
  std::map<std::string, std::vector<VariantFields>, std::less<>> presets_;
};

}  // namespace image_resize::http
