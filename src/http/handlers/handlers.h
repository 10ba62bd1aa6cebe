#pragma once
// One function per route of docs/API.md. Each returns the whole response (a Reply when its body
// may be streamed from a file); none blocks its thread
// (store, blob and imaging calls go through ApiContext::blocking).

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "core/result.h"
#include "http/api_context.h"
#include "http/messages.h"
#include "http/router.h"

namespace image_resize::http {

// Who asks: the request id for the logs, and the API key's name, whose tasks they may see.
struct Caller {
  std::string request_id;
  std::string owner;  // empty when API keys are off
  // May use the operator routes: an admin key, or a loopback caller with --admin-on-loopback.
  bool admin = false;
  std::string address;  // the client's IP address (a proxy's, behind one)
  // The request carries a valid signed link (--url-signing-key): it may read the one result
  // the link names, whoever made it.
  bool signed_link = false;
};

// The task handlers see and make only the caller's tasks.
boost::asio::awaitable<Response> handle_resize(ApiContext& ctx, const Request& request,
                                               const Caller& caller);
boost::asio::awaitable<Response> handle_status(ApiContext& ctx, const Request& request,
                                               const RouteMatch& route, const Caller& caller);
boost::asio::awaitable<Response> handle_result(ApiContext& ctx, const Request& request,
                                               const RouteMatch& route, const Caller& caller);
boost::asio::awaitable<Response> handle_delete(ApiContext& ctx, const RouteMatch& route,
                                               const Caller& caller);
// A batch (batch_handlers.cpp): its tasks, held with ?wait=N until all have ended; its removal.
boost::asio::awaitable<Response> handle_batch_status(ApiContext& ctx, const Request& request,
                                                     const RouteMatch& route, const Caller& caller);
boost::asio::awaitable<Response> handle_batch_delete(ApiContext& ctx, const RouteMatch& route,
                                                     const Caller& caller);
// A ZIP of every finished result of a batch (batch_archive_handler.cpp), sent from its file.
boost::asio::awaitable<Reply> handle_batch_archive(ApiContext& ctx, const Request& request,
                                                   const RouteMatch& route, const Caller& caller);
boost::asio::awaitable<Response> handle_readyz(ApiContext& ctx);
Response handle_healthz();
boost::asio::awaitable<Response> handle_metrics(ApiContext& ctx);
Response handle_openapi();
// GET /api/v1/presets: the presets of --presets-file, and whether uploads are held to them.
Response handle_presets(const ApiContext& ctx);
// The document handle_presets serves.
nlohmann::json presets_json(const Presets& presets, bool only_presets);
// GET /api/v1/formats: what this build reads and writes, and what format=auto may choose.
Response handle_formats(const ApiContext& ctx);
// The document handle_openapi serves.
const nlohmann::json& openapi_document();
// The caller's admin flag tells the page whether to offer the operator controls.
boost::asio::awaitable<Response> handle_dashboard_data(ApiContext& ctx, const Caller& caller);
// The operator routes (workers_handler.cpp).
boost::asio::awaitable<Response> handle_workers_list(ApiContext& ctx);
boost::asio::awaitable<Response> handle_workers_update(ApiContext& ctx, const Request& request,
                                                       const RouteMatch& route,
                                                       const Caller& caller);
// The home page, the dashboard page and their assets (route says which).
Response handle_page(const Request& request, const RouteMatch& route);

// Checked as soon as an upload's headers arrive, before its body is read: the body must be
// multipart/form-data with a boundary (415 / 400), and a declared Content-Length must be within
// the upload limit (413). Returns the boundary.
core::Result<std::string> check_upload_headers(const Request::header_type& header,
                                               std::uint64_t declared_length, bool length_known,
                                               const core::Limits& limits);

}  // namespace image_resize::http
