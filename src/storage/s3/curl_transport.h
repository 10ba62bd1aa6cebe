#pragma once
// HTTP(S) requests through libcurl (Debian's libcurl4-openssl): TLS verified against the system's
// CA store, connections kept open and reused across requests (a pool of easy handles, each with
// its own connection cache), and a time limit per request. No retries here: S3Client decides.
// Thread safety: any method from any thread at once; each request takes a handle of its own.

#include <curl/curl.h>

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace image_resize::storage::s3 {

struct HttpRequest {
  std::string method;  // GET, PUT, HEAD, DELETE
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string_view body;             // sent with PUT
};

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names in lowercase
  std::string body;                            // the whole body, unless a sink took a 2xx body
};

// Takes the body of a 2xx answer chunk by chunk; false stops the transfer (an error).
using BodySink = std::function<bool(std::string_view chunk)>;

class CurlTransport {
 public:
  explicit CurlTransport(std::chrono::milliseconds timeout);
  ~CurlTransport();
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  // The answer, whatever its status; an error only when no answer came (connection refused,
  // timeout, TLS, a sink that stopped): those are worth retrying.
  core::Result<HttpResponse> perform(const HttpRequest& request, const BodySink& sink = {});

 private:
  CURL* take_handle();
  void give_back(CURL* handle);

  const std::chrono::milliseconds timeout_;
  std::mutex mutex_;
  std::vector<CURL*> idle_;  // guarded by mutex_
};

}  // namespace image_resize::storage::s3
