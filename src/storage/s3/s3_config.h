#pragma once
// Settings of the S3-compatible blob store (--blob-store s3://BUCKET[/PREFIX] and --s3-*).
// Loaded and validated by config/, owned here.

#include <chrono>
#include <string>

#include "storage/s3/sigv4.h"

namespace image_resize::storage::s3 {

enum class Addressing {
  automatic,     // path-style for an IP address, a port, a one-label host or a dotted bucket
  path,          // https://endpoint/BUCKET/KEY (MinIO, Ceph and most self-hosted servers)
  virtual_host,  // https://BUCKET.endpoint/KEY (AWS's default)
};

struct S3Config {
  std::string bucket;
  std::string prefix;  // without slashes at either end; empty: the bucket's root
  // scheme://host[:port] of the S3 API; empty: AWS's endpoint of `region`.
  std::string endpoint;
  std::string region = "us-east-1";
  Addressing addressing = Addressing::automatic;
  // From AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN only: never a flag.
  Credentials credentials;
  // One attempt of a request, connecting included; a failed attempt is retried with backoff.
  std::chrono::milliseconds timeout{30'000};
  // Attempts of one request before its error is returned (connection errors, 5xx, throttling).
  int max_attempts = 4;
};

}  // namespace image_resize::storage::s3
