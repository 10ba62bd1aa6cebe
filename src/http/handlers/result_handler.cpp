// GET|HEAD /api/v1/images/result/<uuid>: the resized image, with validators for caches.
#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/log.h"
#include "core/result_caching.h"
#include "http/handlers/handlers.h"
#include "http/handlers/task_lookup.h"

namespace image_resize::http {

namespace asio = boost::asio;
namespace beast_http = boost::beast::http;

namespace {

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

// `public` when no API key guards the result: then its URL is the only key to it.
std::string cache_control(const ApiContext& ctx, const core::TaskRecord& task) {
  return core::result_cache_control(task.expires_at, core::now(), !ctx.keys.api_keys()->enabled());
}

Response not_modified(std::string_view etag, std::string_view cache) {
  Response response{beast_http::status::not_modified, 11};
  response.set(beast_http::field::etag, etag);
  response.set(beast_http::field::cache_control, cache);
  return response;
}

// --result-redirect: the store (or a CDN in front of it) serves the bytes.
std::optional<Response> redirect(ApiContext& ctx, const core::TaskRecord& task,
                                 const std::string& cache) {
  auto url = ctx.blobs.presigned_url(storage::BlobKind::result, task.result_key(),
                                     ctx.http.result_redirect_expiry, cache);
  if (!url) return std::nullopt;
  Response response{beast_http::status::temporary_redirect, 11};
  response.set(beast_http::field::location, *url);
  // A cache may keep the redirect for half the URL's life, so it never hands out a dead link.
  response.set(beast_http::field::cache_control,
               "private, max-age=" + std::to_string(ctx.http.result_redirect_expiry.count() / 2));
  response.prepare_payload();
  return response;
}

}  // namespace

asio::awaitable<Response> handle_result(ApiContext& ctx, const Request& request,
                                        const RouteMatch& route, const Caller& caller) {
  auto task = co_await find_live_task(ctx, route.id, caller.owner, caller.signed_link);
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
  const std::string cache = cache_control(ctx, *task);
  // The ETag kept with the task answers a revalidation without reading the blob.
  const std::string& kept_etag = task->output->etag;
  const auto if_none_match = request[beast_http::field::if_none_match];
  if (!kept_etag.empty() && etag_matches(if_none_match, kept_etag)) {
    co_return not_modified(kept_etag, cache);
  }
  if (ctx.http.result_redirect) {
    if (auto response = redirect(ctx, *task, cache)) co_return std::move(*response);
  }
  auto blob = co_await ctx.blocking.run(
      [&] { return ctx.blobs.get(storage::BlobKind::result, task->result_key()); });
  if (!blob.ok() || !blob.value()) {
    core::log::error(
        "result blob missing for a SUCCESS task",
        {{"task_id", id.str()}, {"error", blob.ok() ? "not found" : blob.error().log_message()}});
    co_return error_response(
        core::Error::make(core::ErrorCode::backend_unavailable,
                          "The result cannot be read right now; retry shortly."));
  }

  std::string& bytes = *blob.value();
  const std::string etag = kept_etag.empty() ? core::result_entity_tag(bytes) : kept_etag;
  if (etag_matches(if_none_match, etag)) co_return not_modified(etag, cache);
  Response response{beast_http::status::ok, 11};
  response.set(beast_http::field::etag, etag);
  response.set(beast_http::field::cache_control, cache);
  response.set(beast_http::field::content_type, core::mime_type(task->output->format));
  response.body() = std::move(bytes);
  response.prepare_payload();
  co_return response;
}

}  // namespace image_resize::http
