#include "storage/s3/s3_blob_store.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <thread>

#include "core/log.h"
#include "storage/memory_file.h"

namespace image_resize::storage::s3 {

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct S3BlobStore::Call {
  const char* operation;  // put, get, head, delete: the metrics' label
  std::string method;
  std::string key;  // empty: the bucket
  std::string_view body{};
  Pairs headers{};
};

namespace {

constexpr std::chrono::milliseconds kPingTimeout{2'000};
constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{2'000};
// Where a PUT stores the SHA-256 of its bytes, for the GET to check them against.
constexpr char kChecksumHeader[] = "x-amz-meta-sha256";

core::Error failure(std::string message) {
  return core::Error::make(core::ErrorCode::backend_unavailable,
                           "The object store cannot be used right now.", std::move(message));
}

// The <Code> and <Message> of S3's XML error body, for logs.
std::string error_detail(const HttpResponse& response) {
  auto element = [&](std::string_view name) {
    std::string open = "<";
    open.append(name).append(">");  // not operator+: g++ 12 -O3 warns falsely (-Wrestrict)
    const auto start = response.body.find(open);
    if (start == std::string::npos) return std::string();
    const auto end = response.body.find("</", start);
    return response.body.substr(start + open.size(), end - start - open.size());
  };
  std::string detail = "HTTP " + std::to_string(response.status);
  if (auto code = element("Code"); !code.empty()) detail.append(" ").append(code);
  if (auto message = element("Message"); !message.empty()) detail.append(": ").append(message);
  return detail;
}

// Throttling (503 SlowDown, 429), server errors and an idle connection S3 closed are
// transient; any other 4xx will answer the same again.
bool worth_retrying(const HttpResponse& response) {
  return response.status >= 500 || response.status == 429 ||
         response.body.find("<Code>RequestTimeout</Code>") != std::string::npos;
}

std::chrono::milliseconds backoff(int attempt) {
  thread_local std::minstd_rand random{std::random_device{}()};
  auto delay = kFirstBackoff * (1 << std::min(attempt - 1, 10));
  delay = std::min<std::chrono::milliseconds>(delay, kMaxBackoff);
  // Half fixed, half random, so that clients that failed together do not retry together.
  std::uniform_int_distribution<long> jitter(0, delay.count() / 2);
  return delay / 2 + std::chrono::milliseconds(jitter(random));
}

std::string_view outcome_of(const core::Result<HttpResponse>& response) {
  if (!response.ok()) return "connection_error";
  const long status = response->status;
  if (status / 100 == 2) return "ok";
  if (status == 404) return "not_found";
  return status >= 500 || status == 429 ? "server_error" : "client_error";
}

core::Status check_checksum(const HttpResponse& response, const std::string& actual,
                            const std::string& key) {
  const auto expected = response.headers.find(kChecksumHeader);
  if (expected == response.headers.end() || expected->second == actual) return {};
  return core::Error::make(core::ErrorCode::blob_damaged, "A stored image is damaged.",
                           "s3: " + key + " arrived with SHA-256 " + actual +
                               " but was stored with " + expected->second);
}

}  // namespace

S3BlobStore::S3BlobStore(S3Config config, S3Endpoint endpoint, metrics::Registry* metrics)
    : config_(std::move(config)),
      endpoint_(std::move(endpoint)),
      scope_{.region = config_.region},
      metrics_(metrics),
      transport_(config_.timeout),
      ping_transport_(std::min(config_.timeout, kPingTimeout)) {}

core::Result<std::unique_ptr<S3BlobStore>> S3BlobStore::open(S3Config config,
                                                             metrics::Registry* metrics) {
  if (config.credentials.access_key_id.empty() || config.credentials.secret_access_key.empty()) {
    return failure(
        "the s3 blob store needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment");
  }
  auto endpoint = S3Endpoint::make(config);
  if (!endpoint.ok()) return endpoint.error();
  auto store = std::unique_ptr<S3BlobStore>(
      new S3BlobStore(std::move(config), std::move(endpoint).value(), metrics));
  if (auto checked = store->check_bucket(); !checked.ok()) return checked.error();
  return store;
}

core::Status S3BlobStore::check_bucket() {
  const std::string where = "bucket '" + config_.bucket + "' at " + endpoint_.base_url();
  auto response = send({.operation = "head", .method = "HEAD", .key = ""});
  if (!response.ok())
    return failure("cannot reach " + where + ": " + response.error().log_message());
  switch (response->status) {
    case 200: return {};
    case 404:
      return failure(where + " does not exist (create it first; the service creates no buckets)");
    case 403:
      return failure("access to " + where +
                     " is denied (HTTP 403): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                     "and that they may list the bucket (s3:ListBucket)");
    case 301: {
      const auto region = response->headers.find("x-amz-bucket-region");
      return failure(
          where + " is in another region" +
          (region == response->headers.end() ? std::string() : " (" + region->second + ")") +
          ": set --s3-region");
    }
    default: return failure(where + " answered " + error_detail(*response));
  }
}

std::string S3BlobStore::key_of(BlobKind kind, const core::TaskId& id) const {
  std::string key = config_.prefix;
  if (!key.empty()) key.push_back('/');
  key.append(kind == BlobKind::input ? "inputs/" : "results/").append(id.str());
  return key;
}

core::Result<HttpResponse> S3BlobStore::send_once(CurlTransport& transport, const Call& call,
                                                  const BodySink& sink) {
  const Target target = endpoint_.target(call.key);
  const std::string payload_hash = sha256_hex(call.body);
  SignedRequest signed_request{.method = call.method,
                               .path = target.path,
                               .query = {},
                               .headers = call.headers,
                               .payload_hash = payload_hash};
  signed_request.headers.emplace_back("host", target.host);
  signed_request.headers.emplace_back("x-amz-date", amz_date(std::chrono::system_clock::now()));
  signed_request.headers.emplace_back("x-amz-content-sha256", payload_hash);
  if (!config_.credentials.session_token.empty()) {
    signed_request.headers.emplace_back("x-amz-security-token", config_.credentials.session_token);
  }
  HttpRequest request{.method = call.method, .url = target.url, .headers = {}, .body = call.body};
  for (const auto& [name, value] : signed_request.headers) {
    if (name != "host") request.headers.push_back(name + ": " + value);
  }
  request.headers.push_back("Authorization: " +
                            authorization(signed_request, config_.credentials, scope_));
  return transport.perform(request, sink);
}

core::Result<HttpResponse> S3BlobStore::send(const Call& call, const BodySink& sink,
                                             const std::function<void()>& restart) {
  for (int attempt = 1;; ++attempt) {
    const auto started = std::chrono::steady_clock::now();
    auto response = send_once(transport_, call, sink);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
    count(call.operation, outcome_of(response), elapsed.count());
    const bool transient = !response.ok() || worth_retrying(*response);
    if (!transient || attempt >= config_.max_attempts) return response;
    const auto delay = backoff(attempt);
    core::log::warn(
        "object store request retried",
        {{"operation", call.operation},
         {"key", call.key},
         {"attempt", std::to_string(attempt)},
         {"error", response.ok() ? error_detail(*response) : response.error().log_message()},
         {"retry_in_ms", std::to_string(delay.count())}});
    std::this_thread::sleep_for(delay);
    if (restart) restart();
  }
}

void S3BlobStore::count(std::string_view operation, std::string_view outcome, double seconds) {
  if (metrics_ == nullptr) return;
  const std::string name(operation);
  metrics_
      ->counter("image_resize_object_store_requests_total",
                "Requests to the object store, each attempt, by operation and outcome",
                {{"operation", name}, {"outcome", std::string(outcome)}})
      .inc();
  metrics_
      ->histogram("image_resize_object_store_request_seconds",
                  "Time of one object store request, each attempt", {{"operation", name}})
      .observe(seconds);
}

core::Status S3BlobStore::put(BlobKind kind, const core::TaskId& id, std::string_view bytes,
                              const BlobAttributes& attributes) {
  Call call{.operation = "put", .method = "PUT", .key = key_of(kind, id), .body = bytes};
  call.headers.emplace_back(kChecksumHeader, sha256_hex(bytes));
  if (!attributes.content_type.empty()) {
    call.headers.emplace_back("content-type", attributes.content_type);
  }
  if (!attributes.cache_control.empty()) {
    call.headers.emplace_back("cache-control", attributes.cache_control);
  }
  auto response = send(call);
  if (!response.ok()) return failure(response.error().log_message());
  if (response->status / 100 != 2) {
    return failure("s3: PUT " + call.key + ": " + error_detail(*response));
  }
  return {};
}

core::Result<std::optional<std::string>> S3BlobStore::get(BlobKind kind, const core::TaskId& id) {
  const Call call{.operation = "get", .method = "GET", .key = key_of(kind, id)};
  auto response = send(call);
  if (!response.ok()) return failure(response.error().log_message());
  if (response->status == 404) return std::optional<std::string>();
  if (response->status / 100 != 2) {
    return failure("s3: GET " + call.key + ": " + error_detail(*response));
  }
  if (auto checked = check_checksum(*response, sha256_hex(response->body), call.key);
      !checked.ok()) {
    return checked.error();
  }
  return std::optional<std::string>(std::move(response->body));
}

core::Result<std::optional<core::UniqueFd>> S3BlobStore::open_for_reading(BlobKind kind,
                                                                          const core::TaskId& id) {
  auto file = MemoryFile::create(id.str());
  if (!file.ok()) return file.error();
  Sha256 checksum;
  core::Status written;
  const BodySink sink = [&](std::string_view chunk) {
    checksum.update(chunk);
    written = file->append(chunk);
    return written.ok();
  };
  const auto restart = [&] {
    checksum.restart();
    (void)file->clear();
  };
  const Call call{.operation = "get", .method = "GET", .key = key_of(kind, id)};
  auto response = send(call, sink, restart);
  if (!written.ok()) return written.error();
  if (!response.ok()) return failure(response.error().log_message());
  if (response->status == 404) return std::optional<core::UniqueFd>();
  if (response->status / 100 != 2) {
    return failure("s3: GET " + call.key + ": " + error_detail(*response));
  }
  if (auto checked = check_checksum(*response, checksum.hex_digest(), call.key); !checked.ok()) {
    return checked.error();
  }
  auto fd = file->release();
  if (!fd.ok()) return fd.error();
  return std::optional<core::UniqueFd>(std::move(fd).value());
}

core::Status S3BlobStore::remove(BlobKind kind, const core::TaskId& id) {
  const Call call{.operation = "delete", .method = "DELETE", .key = key_of(kind, id)};
  auto response = send(call);
  if (!response.ok()) return failure(response.error().log_message());
  if (response->status / 100 != 2 && response->status != 404) {
    return failure("s3: DELETE " + call.key + ": " + error_detail(*response));
  }
  return {};
}

core::Status S3BlobStore::ping() {
  const Call call{.operation = "head", .method = "HEAD", .key = ""};
  const auto started = std::chrono::steady_clock::now();
  auto response = send_once(ping_transport_, call, {});
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  count(call.operation, outcome_of(response), elapsed.count());
  if (!response.ok()) return failure(response.error().log_message());
  if (response->status != 200) {
    return failure("s3: HEAD bucket " + config_.bucket + ": " + error_detail(*response));
  }
  return {};
}

std::optional<std::string> S3BlobStore::presigned_url(BlobKind kind, const core::TaskId& id,
                                                      std::chrono::seconds valid_for,
                                                      std::string_view cache_control) {
  const Target target = endpoint_.target(key_of(kind, id));
  Pairs query;
  if (!cache_control.empty()) query.emplace_back("response-cache-control", cache_control);
  return target.url + "?" +
         presigned_query(target.path, target.host, std::move(query), config_.credentials, scope_,
                         std::chrono::system_clock::now(), valid_for);
}

}  // namespace image_resize::storage::s3
