#pragma once
// The request and response types of the API, and builders for the JSON ones.

#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "core/error.h"
#include "core/result.h"
#include "core/unique_fd.h"
#include "http/request_body.h"

namespace image_resize::http {

using Request = boost::beast::http::request<RequestBody>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
// A response whose body is read from a file as it is sent, a few KiB at a time: for bodies too
// large to hold in memory (a batch's archive). The body owns the descriptor and closes it when
// the response is destroyed, sent or not.
using FileResponse = boost::beast::http::response<boost::beast::http::file_body>;
// What a route's handler answers: a body held in memory, or one streamed from a file. The
// session adds its headers to either and answers HEAD with the headers alone.
using Reply = std::variant<Response, FileResponse>;

// A JSON response with Content-Type application/json and Content-Length set.
Response json_response(boost::beast::http::status status, const nlohmann::json& body);
// The same for a body already serialised by dump_json.
Response json_response(boost::beast::http::status status, std::string body);
// A response of `file`'s whole contents, from its start, with Content-Length set; it takes the
// descriptor, which must be a regular file (the error, code internal, when it cannot be sized).
core::Result<FileResponse> file_response(boost::beast::http::status status, core::UniqueFd file);
// `body` as the API writes JSON: compact, invalid UTF-8 replaced rather than thrown on.
std::string dump_json(const nlohmann::json& body);

// The API's error shape: {"result": "error", "message": ..., "code": ...} plus any `extra` keys,
// with the status that to_http_status gives, and Retry-After where the code calls for one.
Response error_response(const core::Error& error);
Response error_response(const core::Error& error, const nlohmann::json& extra);

}  // namespace image_resize::http
