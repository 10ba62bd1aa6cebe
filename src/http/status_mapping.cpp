#include "http/status_mapping.h"

namespace image_resize::http {

using boost::beast::http::status;
using core::ErrorCode;

status to_http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::malformed_request:
    case ErrorCode::invalid_wait: return status::bad_request;
    case ErrorCode::headers_too_large: return status::request_header_fields_too_large;
    case ErrorCode::unsupported_media_type: return status::unsupported_media_type;
    case ErrorCode::payload_too_large: return status::payload_too_large;
    case ErrorCode::no_file:
    case ErrorCode::invalid_size:
    case ErrorCode::invalid_fit:
    case ErrorCode::invalid_format:
    case ErrorCode::invalid_quality:
    case ErrorCode::invalid_priority:
    case ErrorCode::invalid_background:
    case ErrorCode::invalid_gravity:
    case ErrorCode::invalid_dpr:
    case ErrorCode::invalid_progressive:
    case ErrorCode::invalid_lossless:
    case ErrorCode::invalid_strip:
    case ErrorCode::invalid_crop:
    case ErrorCode::unsupported_image:
    case ErrorCode::image_too_large:
    case ErrorCode::conflicting_source:
    case ErrorCode::invalid_url:
    case ErrorCode::url_forbidden:
    case ErrorCode::webhooks_disabled:
    case ErrorCode::invalid_variants:
    case ErrorCode::unknown_preset:
    case ErrorCode::presets_only:
    case ErrorCode::too_many_files:
    case ErrorCode::invalid_idempotency_key:
    case ErrorCode::idempotency_mismatch:
    case ErrorCode::invalid_body:
    case ErrorCode::invalid_concurrency:
    case ErrorCode::invalid_paused: return status::unprocessable_entity;
    case ErrorCode::route_not_found:
    case ErrorCode::task_not_found:
    case ErrorCode::batch_not_found:
    case ErrorCode::worker_not_found:
    case ErrorCode::result_not_ready: return status::not_found;
    case ErrorCode::method_not_allowed: return status::method_not_allowed;
    case ErrorCode::unauthorized: return status::unauthorized;
    case ErrorCode::forbidden:
    case ErrorCode::admin_required:
    case ErrorCode::operator_routes_off: return status::forbidden;
    case ErrorCode::rate_limited: return status::too_many_requests;
    case ErrorCode::queue_full:
    case ErrorCode::backend_unavailable:
    case ErrorCode::insufficient_storage: return status::service_unavailable;
    case ErrorCode::decode_failed:
    case ErrorCode::encode_failed:
    case ErrorCode::timeout:
    case ErrorCode::worker_crashed:
    case ErrorCode::source_unreachable:
    case ErrorCode::source_timeout:
    case ErrorCode::source_too_large:
    case ErrorCode::source_forbidden:
    case ErrorCode::source_http_error:
    case ErrorCode::result_gone:
    case ErrorCode::blob_damaged:
    case ErrorCode::internal: return status::internal_server_error;
  }
  return status::internal_server_error;
}

}  // namespace image_resize::http
