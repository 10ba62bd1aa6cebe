#pragma once
// The keys requests are checked against — the API keys and the URL signing keys — replaced whole
// when the operator sends SIGHUP: a request uses the set that was current when it looked, and
// no request is refused or dropped while the set changes.
// Thread safety: any method from any thread at once.

#include <atomic>
#include <memory>

#include "http/api_keys.h"
#include "http/url_signer.h"

namespace image_resize::http {

class KeySet {
 public:
  explicit KeySet(ApiKeys api_keys = {}, UrlSigner url_signer = {})
      : api_keys_(std::make_shared<const ApiKeys>(std::move(api_keys))),
        url_signer_(std::make_shared<const UrlSigner>(std::move(url_signer))) {}

  std::shared_ptr<const ApiKeys> api_keys() const { return api_keys_.load(); }
  std::shared_ptr<const UrlSigner> url_signer() const { return url_signer_.load(); }
  void replace(ApiKeys api_keys, UrlSigner url_signer) {
    api_keys_.store(std::make_shared<const ApiKeys>(std::move(api_keys)));
    url_signer_.store(std::make_shared<const UrlSigner>(std::move(url_signer)));
  }

 private:
  std::atomic<std::shared_ptr<const ApiKeys>> api_keys_;
  std::atomic<std::shared_ptr<const UrlSigner>> url_signer_;
};

}  // namespace image_resize::http
