#pragma once
// API keys (--api-keys-file): when any are configured, every /api/v1 route needs
// `Authorization: Bearer <key>` (401 without one, 403 with a wrong one), and a task is visible
// only to the key that created it. A key's name, never the key, is what tasks record as their
// owner and what the logs show.
//
// File format: one key per line, optionally followed by whitespace and a name; blank lines and
// lines starting with '#' are ignored. A key is 16..256 visible ASCII characters, or
// `sha256:<64 hex digits>`, the SHA-256 of the key, so that the file on disk holds no secret
// (`printf %s KEY | sha256sum`). A key without a name is called "key-<8 hex digits>". A name of
// two or more words whose last word is `admin` gives the key the admin role (the operator
// routes) and is the name without that word: `KEY ops-team admin` is "ops-team", an admin.
// Only the SHA-256 of each key is kept in memory; a presented key's hash is compared with each.
// Thread safety: immutable after load; any thread may call name_of.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace image_resize::http {

// Who a valid key is.
struct KeyIdentity {
  std::string name;
  bool admin = false;  // may use the operator routes
};

class ApiKeys {
 public:
  ApiKeys() = default;  // none: keys are off
  static core::Result<ApiKeys> load(const std::filesystem::path& file);
  static core::Result<ApiKeys> parse(std::string_view text);

  bool enabled() const { return !keys_.empty(); }
  std::size_t size() const { return keys_.size(); }

  // The key of an Authorization header's value: unauthorized when there is no `Bearer <key>`,
  // forbidden when the key is not one of ours. Every key is compared, each in
  // time that depends only on the presented key's length, so timing tells nothing about ours.
  core::Result<KeyIdentity> authenticate(std::string_view authorization) const;

 private:
  struct Key {
    std::string sha256;  // 32 bytes
    KeyIdentity identity;
  };
  std::vector<Key> keys_;
};

}  // namespace image_resize::http
