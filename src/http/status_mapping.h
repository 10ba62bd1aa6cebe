#pragma once
// The one place where a domain ErrorCode becomes an HTTP status.

#include <boost/beast/http/status.hpp>
#include <ostream>  // Boost 1.81 string_view.hpp uses std::ostream without including it

#include "core/error.h"

namespace image_resize::http {

boost::beast::http::status to_http_status(core::ErrorCode code);

}  // namespace image_resize::http
