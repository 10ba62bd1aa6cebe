#pragma once
// The request and response types of the API, and builders for the JSON ones.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "core/error.h"
#include "http/request_body.h"

namespace image_resize::http {

using Request = boost::beast::http::request<RequestBody>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

// A JSON response with Content-Type application/json and Content-Length set.
Response json_response(boost::beast::http::status status, const nlohmann::json& body);
// The same for a body already serialised by dump_json.
Response json_response(boost::beast::http::status status, std::string body);
// `body` as the API writes JSON: compact, invalid UTF-8 replaced rather than thrown on.
std::string dump_json(const nlohmann::json& body);

// The API's error shape: {"result": "error", "message": ..., "code": ...} plus any `extra` keys,
// with the status that to_http_status gives, and Retry-After where the code calls for one.
Response error_response(const core::Error& error);
Response error_response(const core::Error& error, const nlohmann::json& extra);

}  // namespace image_resize::http
