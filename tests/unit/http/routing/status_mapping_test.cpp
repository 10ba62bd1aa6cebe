#include "http/status_mapping.h"

#include <gtest/gtest.h>

namespace image_resize::http {
namespace {

using boost::beast::http::status;
using core::ErrorCode;

TEST(StatusMapping, FollowsApiMd) {
  EXPECT_EQ(to_http_status(ErrorCode::malformed_request), status::bad_request);
  EXPECT_EQ(to_http_status(ErrorCode::unsupported_media_type), status::unsupported_media_type);
  EXPECT_EQ(to_http_status(ErrorCode::payload_too_large), status::payload_too_large);
  for (ErrorCode code :
       {ErrorCode::no_file, ErrorCode::invalid_size, ErrorCode::invalid_fit,
        ErrorCode::invalid_format, ErrorCode::invalid_quality, ErrorCode::invalid_priority,
        ErrorCode::invalid_background, ErrorCode::invalid_gravity, ErrorCode::invalid_dpr,
        ErrorCode::invalid_progressive, ErrorCode::invalid_lossless, ErrorCode::unsupported_image,
        ErrorCode::image_too_large, ErrorCode::invalid_variants, ErrorCode::unknown_preset,
        ErrorCode::presets_only}) {
    EXPECT_EQ(to_http_status(code), status::unprocessable_entity) << core::to_string(code);
  }
  EXPECT_EQ(to_http_status(ErrorCode::task_not_found), status::not_found);
  EXPECT_EQ(to_http_status(ErrorCode::result_not_ready), status::not_found);
  EXPECT_EQ(to_http_status(ErrorCode::route_not_found), status::not_found);
  EXPECT_EQ(to_http_status(ErrorCode::method_not_allowed), status::method_not_allowed);
  EXPECT_EQ(to_http_status(ErrorCode::unauthorized), status::unauthorized);
  EXPECT_EQ(to_http_status(ErrorCode::forbidden), status::forbidden);
  EXPECT_EQ(to_http_status(ErrorCode::rate_limited), status::too_many_requests);
  EXPECT_EQ(to_http_status(ErrorCode::queue_full), status::service_unavailable);
  EXPECT_EQ(to_http_status(ErrorCode::backend_unavailable), status::service_unavailable);
}

}  // namespace
}  // namespace image_resize::http
