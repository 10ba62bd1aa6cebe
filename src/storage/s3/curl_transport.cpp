#include "storage/s3/curl_transport.h"

#include <algorithm>
#include <cctype>
#include <memory>

namespace image_resize::storage::s3 {
namespace {

// Idle handles kept: each keeps its connection open for the next request.
constexpr std::size_t kIdleHandlesKept = 32;
constexpr std::chrono::milliseconds kConnectTimeout{5'000};
// Of an error answer's body (S3's XML error) when a sink takes the body of a success.
constexpr std::size_t kErrorBodyKept = 4096;

struct Transfer {
  HttpResponse response;
  const BodySink* sink = nullptr;
  std::string_view body;    // the whole upload
  std::string_view upload;  // what is left of it
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {  // a new answer (after 100 Continue, or a redirect)
    transfer->response.headers.clear();
    return size * count;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * count;
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
    value.remove_suffix(1);
  }
  transfer->response.headers[name] = std::string(value);
  return size * count;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::string_view chunk(data, size * count);
  if (transfer->sink != nullptr && *transfer->sink) {
    return (*transfer->sink)(chunk) ? chunk.size() : 0;  // 0: CURLE_WRITE_ERROR
  }
  transfer->response.body.append(chunk);
  return chunk.size();
}

std::size_t on_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t n = std::min(size * count, transfer->upload.size());
  std::copy_n(transfer->upload.data(), n, buffer);
  transfer->upload.remove_prefix(n);
  return n;
}

// curl rewinds the upload when it sends it again (a kept-alive connection the server closed).
int on_seek(void* user, curl_off_t offset, int origin) {
  auto* transfer = static_cast<Transfer*>(user);
  if (origin != SEEK_SET || offset < 0 ||
      static_cast<std::size_t>(offset) > transfer->body.size()) {
    return CURL_SEEKFUNC_CANTSEEK;
  }
  transfer->upload = transfer->body.substr(static_cast<std::size_t>(offset));
  return CURL_SEEKFUNC_OK;
}

core::Error transport_error(const HttpRequest& request, CURLcode code, const char* detail) {
  std::string message =
      "s3: " + request.method + " " + request.url + ": " + curl_easy_strerror(code);
  if (detail != nullptr && *detail != '\0') message.append(" (").append(detail).append(")");
  return core::Error::make(core::ErrorCode::backend_unavailable, "Internal error", message);
}

struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

CurlTransport::CurlTransport(std::chrono::milliseconds timeout) : timeout_(timeout) {
  // Idempotent, and the start-up thread calls it before any other thread uses curl.
  static const CURLcode initialised = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)initialised;
}

CurlTransport::~CurlTransport() {
  for (CURL* handle : idle_) curl_easy_cleanup(handle);
}

CURL* CurlTransport::take_handle() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      CURL* handle = idle_.back();
      idle_.pop_back();
      return handle;
    }
  }
  return curl_easy_init();
}

void CurlTransport::give_back(CURL* handle) {
  curl_easy_reset(handle);  // keeps the handle's open connections and TLS sessions
  std::lock_guard lock(mutex_);
  if (idle_.size() < kIdleHandlesKept) {
    idle_.push_back(handle);
    return;
  }
  curl_easy_cleanup(handle);
}

core::Result<HttpResponse> CurlTransport::perform(const HttpRequest& request,
                                                  const BodySink& sink) {
  CURL* handle = take_handle();
  if (handle == nullptr) {
    return core::Error::make(core::ErrorCode::internal, "Internal error", "curl_easy_init failed");
  }
  Transfer transfer;
  transfer.sink = &sink;
  transfer.body = request.body;
  transfer.upload = request.body;
  std::unique_ptr<curl_slist, SlistFree> headers;
  for (const std::string& header : request.headers) {
    headers.reset(curl_slist_append(headers.release(), header.c_str()));
  }
  // A PUT waits for no 100 Continue: the round trip costs more than a refused body.
  headers.reset(curl_slist_append(headers.release(), "Expect:"));
  char error_detail[CURL_ERROR_SIZE] = {};

  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min(timeout_, kConnectTimeout).count()));
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_detail);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
  if (request.method == "PUT") {
    curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(handle, CURLOPT_READFUNCTION, on_upload);
    curl_easy_setopt(handle, CURLOPT_READDATA, &transfer);
    curl_easy_setopt(handle, CURLOPT_SEEKFUNCTION, on_seek);
    curl_easy_setopt(handle, CURLOPT_SEEKDATA, &transfer);
    curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  } else if (request.method == "HEAD") {
    curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET") {
    curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  // Only a 2xx body goes to the sink; an error answer's XML is kept for the message.
  BodySink guarded;
  if (sink) {
    guarded = [&](std::string_view chunk) {
      long status = 0;
      curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
      if (status / 100 != 2) {
        std::string& kept = transfer.response.body;
        if (kept.size() < kErrorBodyKept)
          kept.append(chunk.substr(0, kErrorBodyKept - kept.size()));
        return true;
      }
      return sink(chunk);
    };
    transfer.sink = &guarded;
  }

  const CURLcode code = curl_easy_perform(handle);
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &transfer.response.status);
  give_back(handle);
  if (code != CURLE_OK) return transport_error(request, code, error_detail);
  return std::move(transfer.response);
}

}  // namespace image_resize::storage::s3
