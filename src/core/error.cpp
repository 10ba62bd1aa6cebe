#include "core/error.h"

namespace image_resize::core {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::malformed_request: return "malformed_request";
    case ErrorCode::headers_too_large: return "headers_too_large";
    case ErrorCode::unsupported_media_type: return "unsupported_media_type";
    case ErrorCode::payload_too_large: return "payload_too_large";
    case ErrorCode::no_file: return "no_file";
    case ErrorCode::invalid_size: return "invalid_size";
    case ErrorCode::invalid_fit: return "invalid_fit";
    case ErrorCode::invalid_format: return "invalid_format";
    case ErrorCode::invalid_quality: return "invalid_quality";
    case ErrorCode::invalid_priority: return "invalid_priority";
    case ErrorCode::invalid_background: return "invalid_background";
    case ErrorCode::invalid_wait: return "invalid_wait";
    case ErrorCode::invalid_gravity: return "invalid_gravity";
    case ErrorCode::invalid_dpr: return "invalid_dpr";
    case ErrorCode::invalid_progressive: return "invalid_progressive";
    case ErrorCode::invalid_lossless: return "invalid_lossless";
    case ErrorCode::invalid_strip: return "invalid_strip";
    case ErrorCode::invalid_crop: return "invalid_crop";
    case ErrorCode::unsupported_image: return "unsupported_image";
    case ErrorCode::image_too_large: return "image_too_large";
    case ErrorCode::conflicting_source: return "conflicting_source";
    case ErrorCode::invalid_url: return "invalid_url";
    case ErrorCode::url_forbidden: return "url_forbidden";
    case ErrorCode::webhooks_disabled: return "webhooks_disabled";
    case ErrorCode::invalid_variants: return "invalid_variants";
    case ErrorCode::unknown_preset: return "unknown_preset";
    case ErrorCode::presets_only: return "presets_only";
    case ErrorCode::too_many_files: return "too_many_files";
    case ErrorCode::invalid_idempotency_key: return "invalid_idempotency_key";
    case ErrorCode::idempotency_mismatch: return "idempotency_mismatch";
    case ErrorCode::route_not_found: return "route_not_found";
    case ErrorCode::method_not_allowed: return "method_not_allowed";
    case ErrorCode::task_not_found: return "task_not_found";
    case ErrorCode::batch_not_found: return "batch_not_found";
    case ErrorCode::worker_not_found: return "worker_not_found";
    case ErrorCode::invalid_body: return "invalid_body";
    case ErrorCode::invalid_concurrency: return "invalid_concurrency";
    case ErrorCode::invalid_paused: return "invalid_paused";
    case ErrorCode::admin_required: return "admin_required";
    case ErrorCode::operator_routes_off: return "operator_routes_off";
    case ErrorCode::result_not_ready: return "result_not_ready";
    case ErrorCode::unauthorized: return "unauthorized";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::rate_limited: return "rate_limited";
    case ErrorCode::queue_full: return "queue_full";
    case ErrorCode::insufficient_storage: return "insufficient_storage";
    case ErrorCode::backend_unavailable: return "backend_unavailable";
    case ErrorCode::result_gone: return "result_gone";
    case ErrorCode::blob_damaged: return "blob_damaged";
    case ErrorCode::decode_failed: return "decode_failed";
    case ErrorCode::encode_failed: return "encode_failed";
    case ErrorCode::timeout: return "timeout";
    case ErrorCode::worker_crashed: return "worker_crashed";
    case ErrorCode::source_unreachable: return "source_unreachable";
    case ErrorCode::source_timeout: return "source_timeout";
    case ErrorCode::source_too_large: return "source_too_large";
    case ErrorCode::source_forbidden: return "source_forbidden";
    case ErrorCode::source_http_error: return "source_http_error";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

std::optional<ErrorCode> parse_error_code(std::string_view text) {
  for (int i = 0; i <= static_cast<int>(ErrorCode::internal); ++i) {
    const auto code = static_cast<ErrorCode>(i);
    if (to_string(code) == text) return code;
  }
  return std::nullopt;
}

}  // namespace image_resize::core
