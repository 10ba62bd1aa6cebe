#pragma once
// What crosses an imaging helper's socket: a resize request (spec and limits in the header, the
// input image as payload) and its reply (the output's size and format, or the error, in the
// header; the output image as payload).

#include <nlohmann/json.hpp>
#include <string>

#include "core/limits.h"
#include "core/resize_spec.h"
#include "core/result.h"
#include "imaging/image_processor.h"
#include "isolation/wire.h"

namespace image_resize::isolation {

struct ResizeRequest {
  core::ResizeSpec spec;
  core::Limits limits;
};

nlohmann::json request_header(const core::ResizeSpec& spec, const core::Limits& limits);
// ErrorCode::internal when the header is not a request.
core::Result<ResizeRequest> parse_request_header(const nlohmann::json& header);

// The header of a reply; on success the payload is result->bytes.
nlohmann::json reply_header(const core::Result<imaging::ResizedImage>& result);
// The resize's outcome from a reply message (takes its payload); ErrorCode::internal when the
// message is not a reply.
core::Result<imaging::ResizedImage> parse_reply(Message message);

}  // namespace image_resize::isolation
