#include "http/messages.h"

#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

#include "http/status_mapping.h"

namespace image_resize::http {

namespace beast_http = boost::beast::http;

namespace {
// Seconds a client should wait before retrying a 429 or 503.
constexpr std::string_view kRetryAfterSeconds = "1";
}  // namespace

std::string dump_json(const nlohmann::json& body) {
  // Invalid UTF-8 (a client's bytes quoted in a message) is replaced rather than thrown on.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

core::Result<FileResponse> file_response(beast_http::status status, core::UniqueFd file) {
  boost::beast::file_posix posix;
  posix.native_handle(file.release());
  boost::beast::error_code error;
  posix.seek(0, error);  // the body is sent from the descriptor's offset
  FileResponse response{status, 11};
  if (!error) response.body().reset(std::move(posix), error);
  if (error) {
    return core::Error::make(core::ErrorCode::internal, "The response could not be read.",
                             "file response: " + error.message());
  }
  response.prepare_payload();
  return response;
}

Response json_response(beast_http::status status, std::string body) {
  Response response{status, 11};
  response.set(beast_http::field::content_type, "application/json");
  response.set(beast_http::field::cache_control, "no-store");
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response json_response(beast_http::status status, const nlohmann::json& body) {
  return json_response(status, dump_json(body));
}

Response error_response(const core::Error& error) {
  return error_response(error, nlohmann::json::object());
}

Response error_response(const core::Error& error, const nlohmann::json& extra) {
  // What passes between the stores is answered as what it is to a client: an internal error.
  const bool between_stores =
      error.code == core::ErrorCode::result_gone || error.code == core::ErrorCode::blob_damaged;
  nlohmann::json body = {
      {"result", "error"},
      {"message", error.public_message},
      {"code", core::to_string(between_stores ? core::ErrorCode::internal : error.code)}};
  for (const auto& [key, value] : extra.items()) body[key] = value;
  const auto status = to_http_status(error.code);
  Response response = json_response(status, body);
  if (status == beast_http::status::too_many_requests ||
      status == beast_http::status::service_unavailable) {
    response.set(beast_http::field::retry_after, kRetryAfterSeconds);
  }
  return response;
}

}  // namespace image_resize::http
