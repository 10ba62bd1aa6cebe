#pragma once
// Domain errors: what went wrong (ErrorCode), what the client may be told (public_message) and
// what the operator needs to see (internal_message). HTTP status is mapped in http/, nowhere else.

#include <optional>
#include <string>
#include <string_view>

namespace image_resize::core {

enum class ErrorCode {
  // Client errors found while reading the request.
  malformed_request,       // not multipart, or malformed multipart
  headers_too_large,       // request line and headers over the header limit
  unsupported_media_type,  // body is not multipart/form-data
  payload_too_large,       // upload over the byte limit
  no_file,                 // missing or empty `file`
  invalid_size,            // bad width/height
  invalid_fit,
  invalid_format,
  invalid_quality,
  invalid_priority,
  invalid_background,
  invalid_wait,
  invalid_gravity,
  invalid_dpr,  // not 1..4, or width/height × dpr over --max-dimension
  invalid_progressive,
  invalid_lossless,
  invalid_strip,
  invalid_crop,        // not x,y,w,h, or outside the image (also a task failure, for a task by URL)
  unsupported_image,   // not an image, or a format we do not accept
  image_too_large,     // over the pixel or frame limit
  conflicting_source,  // both `file` and `url`
  invalid_url,         // `url` or `callback_url` is not an http(s) URL we can fetch
  url_forbidden,       // its host is, or resolves to, an address the outbound guard denies
  webhooks_disabled,   // `callback_url` on a server without --webhook-secret
  invalid_variants,    // the `variants` field or one of its variants; too many; a name twice
  unknown_preset,      // a `preset` that --presets-file does not name
  presets_only,        // --only-presets: `variants`, a width, height or dpr, or no `preset`
  too_many_files,      // more `file` parts than --max-batch-files
  invalid_idempotency_key,  // the Idempotency-Key header is empty, too long or not printable
  idempotency_mismatch,     // an Idempotency-Key used before for a different upload
  // Operator routes: their JSON body.
  invalid_body,         // not a JSON object of the route's fields
  invalid_concurrency,  // not an integer from 1 to the worker's cores × 2
  invalid_paused,       // not true or false
  // Lookups.
  route_not_found,
  method_not_allowed,
  task_not_found,
  batch_not_found,
  result_not_ready,
  worker_not_found,
  // Access control and load.
  unauthorized,
  forbidden,
  admin_required,       // an operator route called with a key that is not an admin key
  operator_routes_off,  // no API keys, and not from loopback with --admin-on-loopback
  rate_limited,
  queue_full,
  backend_unavailable,
  insufficient_storage,  // the data dir's file system is below --min-free-space
  // Between stores: never answered to a client.
  result_gone,   // a reused result's last task went before the new task was recorded
  blob_damaged,  // a stored image whose bytes no longer match the checksum stored with them
  // Task failures (recorded on the task, not returned by the request that created it).
  decode_failed,
  encode_failed,
  timeout,
  worker_crashed,
  // Task failures of an image given by URL: the worker's fetch of it.
  source_unreachable,  // no connection (name not found, refused, reset, TLS failure)
  source_timeout,      // the connect, idle or total timeout passed
  source_too_large,    // more bytes than --max-upload-bytes
  source_forbidden,    // it, or a redirect, went to an address the outbound guard denies
  source_http_error,   // the source answered with a status other than 2xx
                       // (TaskFailure::source_status)
  // Everything else: a bug or an environment problem; logged, never detailed to clients.
  internal,
};

// The snake_case name used in JSON bodies and logs, e.g. "invalid_size".
std::string_view to_string(ErrorCode code);
// The inverse of to_string; nullopt for an unknown name.
std::optional<ErrorCode> parse_error_code(std::string_view text);

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string public_message;    // safe to return to the client
  std::string internal_message;  // for logs; may name paths and library messages

  static Error make(ErrorCode code, std::string public_message, std::string internal_message = {}) {
    return Error{code, std::move(public_message), std::move(internal_message)};
  }
  // The message for logs: the internal detail when there is one, else the public message.
  const std::string& log_message() const {
    return internal_message.empty() ? public_message : internal_message;
  }
};

}  // namespace image_resize::core
