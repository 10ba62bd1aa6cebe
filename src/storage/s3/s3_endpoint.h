#pragma once
// Where the requests of one bucket go: the URL, Host header and signed path of an object, for
// path-style or virtual-host addressing. Built once from the configuration.

#include <string>
#include <string_view>

#include "core/result.h"
#include "storage/s3/s3_config.h"

namespace image_resize::storage::s3 {

struct Target {
  std::string url;   // what the request is sent to
  std::string host;  // the Host header, as signed
  std::string path;  // the URI path, not encoded, as signed
};

class S3Endpoint {
 public:
  // Fails (internal, with a message for the start-up log) on an endpoint that is not
  // http(s)://host[:port][/], or a bucket name S3 does not allow.
  static core::Result<S3Endpoint> make(const S3Config& config);

  // `key` is the object's key within the bucket; empty: the bucket itself.
  Target target(std::string_view key) const;
  bool path_style() const { return path_style_; }
  const std::string& base_url() const { return base_url_; }

 private:
  std::string bucket_;
  std::string scheme_;
  std::string authority_;  // host[:port] of the endpoint
  bool path_style_ = true;
  std::string base_url_;  // scheme://host[:port] of the requests
};

}  // namespace image_resize::storage::s3
