#pragma once
// Names of the entries of an archive, made safe and unique for whoever unzips it.
//
// safe_entry_name: each `/`, `\`, control character and character Windows refuses in a file
// name (`: * ? " < > |`) becomes `_`; so does each run of two or more dots, and a leading dot;
// an empty name becomes "file"; a name over kMaxEntryNameBytes is cut (at a UTF-8 character
// boundary) before its extension. Other bytes, UTF-8 included, are kept.
// EntryNames::claim: the first entry keeps its name, a later one with the same name (letter
// case aside, for case-insensitive file systems) gets "-2", "-3", ... before its extension:
// a.jpg, a-2.jpg, a-3.jpg.

#include <string>
#include <string_view>
#include <unordered_set>

namespace image_resize::archive {

// Long enough for `<file>-<variant>.<ext>`, short of file systems' 255-byte name limit, with
// room left for a "-N" suffix.
inline constexpr std::size_t kMaxEntryNameBytes = 200;

std::string safe_entry_name(std::string_view name);

// The names given out so far, for one archive.
class EntryNames {
 public:
  // `name` made safe, then unique among the names this object gave out before.
  std::string claim(std::string_view name);

 private:
  std::unordered_set<std::string> taken_;  // lower-cased
};

}  // namespace image_resize::archive
