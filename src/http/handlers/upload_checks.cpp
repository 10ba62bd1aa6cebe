#include "http/handlers/upload_checks.h"

#include <utility>

namespace image_resize::http {

core::Error store_unavailable() {
  return core::Error::make(core::ErrorCode::backend_unavailable,
                           "The task could not be stored; retry shortly.");
}

core::Status check_free_space(ApiContext& ctx) {
  if (ctx.free_space == nullptr || !ctx.free_space->low()) return {};
  return core::Error::make(core::ErrorCode::insufficient_storage,
                           "The server is low on storage; retry after a pause.");
}

core::Status check_queue_room(ApiContext& ctx, std::uint64_t adding) {
  if (ctx.limits.max_queue_depth == 0) return {};
  auto depth = ctx.queue.depth();
  if (!depth.ok()) return store_unavailable();
  if (depth->total() + adding <= ctx.limits.max_queue_depth) return {};
  return core::Error::make(core::ErrorCode::queue_full,
                           "The server has " + std::to_string(depth->total()) +
                               " tasks waiting; retry after a short pause.");
}

core::Status check_urls(ApiContext& ctx, std::string& source_url, std::string& callback_url) {
  if (!callback_url.empty() && !ctx.webhooks_enabled) {
    return core::Error::make(core::ErrorCode::webhooks_disabled,
                             "this server sends no webhooks (it has no --webhook-secret); poll "
                             "the status URL instead");
  }
  for (auto [field, url] : {std::pair<std::string_view, std::string*>{"url", &source_url},
                            {"callback_url", &callback_url}}) {
    if (url->empty()) continue;
    auto checked = ctx.outbound.check(*url, field);
    if (!checked.ok()) return checked.error();
    *url = checked->url;
  }
  return {};
}

}  // namespace image_resize::http
