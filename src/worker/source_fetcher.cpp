#include "worker/source_fetcher.h"

#include <array>
#include <chrono>

namespace image_resize::worker {
namespace {

// Body sizes at which the header is read: the first fits most headers; the second the JPEGs
// whose EXIF or ICC profile comes first. Past them the resize reads the header itself.
constexpr std::array<std::size_t, 2> kHeaderProbeSizes{16 * 1024, 256 * 1024};

// Keeps the body as it arrives and reads the header from its first bytes: the transfer stops
// once they show an image over the limits.
class HeaderGuard {
 public:
  HeaderGuard(imaging::ImageProcessor& images, const core::Limits& limits,
              storage::MemoryFile& body)
      : images_(images), limits_(limits), body_(body) {}

  core::Status take(std::string_view chunk) {
    if (auto appended = body_.append(chunk); !appended.ok()) return appended;
    if (decided_ || next_probe_ >= kHeaderProbeSizes.size() ||
        body_.size() < kHeaderProbeSizes[next_probe_]) {
      return {};
    }
    auto head = body_.read_prefix(kHeaderProbeSizes[next_probe_]);
    if (!head.ok()) return head.error();
    ++next_probe_;
    auto info = images_.probe(*head, limits_);
    if (info.ok()) {
      decided_ = true;
      return {};
    }
    // Anything else may be the header cut short: the resize judges the whole file.
    if (info.error().code == core::ErrorCode::image_too_large) return info.error();
    return {};
  }

 private:
  imaging::ImageProcessor& images_;
  const core::Limits& limits_;
  storage::MemoryFile& body_;
  bool decided_ = false;
  std::size_t next_probe_ = 0;
};

bool transient_status(int status) { return status == 408 || status == 429 || status >= 500; }

bool transient_error(core::ErrorCode code) {
  return code == core::ErrorCode::source_unreachable || code == core::ErrorCode::source_timeout;
}

FetchedSource failed(const core::Error& error, int source_status = 0) {
  return FetchedSource{
      .body = std::nullopt,
      .failure = core::TaskFailure{error.code, error.public_message, source_status},
      .transient =
          source_status > 0 ? transient_status(source_status) : transient_error(error.code),
      .detail = error.log_message()};
}

}  // namespace

SourceFetcher::SourceFetcher(outbound::OutboundClient& client, imaging::ImageProcessor& images,
                             core::Limits limits, metrics::Registry& metrics)
    : client_(client), images_(images), limits_(limits), metrics_(metrics) {}

FetchedSource SourceFetcher::fetch(const core::TaskRecord& task) {
  const auto started = std::chrono::steady_clock::now();
  FetchedSource fetched = fetch_once(task);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  count(fetched.failure ? core::to_string(fetched.failure->code) : "ok", elapsed.count());
  return fetched;
}

FetchedSource SourceFetcher::fetch_once(const core::TaskRecord& task) {
  auto body = storage::MemoryFile::create("source-" + task.id.str());
  if (!body.ok()) return failed(body.error());
  HeaderGuard header(images_, limits_, *body);
  auto response = client_.get(task.source_url, {.max_bytes = limits_.max_upload_bytes},
                              [&header](std::string_view chunk) { return header.take(chunk); });
  if (!response.ok()) return failed(response.error());
  const int status = response->status;
  if (status < 200 || status > 299) {
    return failed(core::Error::make(
                      core::ErrorCode::source_http_error,
                      "The image's URL answered HTTP " + std::to_string(status) + ".",
                      "source answered " + std::to_string(status) + " from " + response->final_url),
                  status);
  }
  if (body->size() == 0) {
    return failed(core::Error::make(core::ErrorCode::unsupported_image,
                                    "The image's URL answered with an empty body."));
  }
  return FetchedSource{
      .body = std::move(body).value(), .failure = std::nullopt, .transient = false, .detail = {}};
}

void SourceFetcher::count(std::string_view outcome, double seconds) {
  metrics_
      .counter("image_resize_outbound_fetches_total",
               "Images fetched by URL, by outcome: ok or the error code the task failed with",
               {{"outcome", std::string(outcome)}})
      .inc();
  metrics_
      .histogram("image_resize_outbound_fetch_seconds",
                 "Time to fetch an image by URL, whatever the outcome")
      .observe(seconds);
}

}  // namespace image_resize::worker
