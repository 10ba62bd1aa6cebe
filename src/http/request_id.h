#pragma once
// The id a request is logged under, and echoed in X-Request-Id: the client's (or a proxy's) own
// when it is a plain token of 1..64 characters [A-Za-z0-9._-], so one id follows a request
// through nginx and here; otherwise a new random one, so nothing odd reaches the logs.

#include <string>
#include <string_view>

namespace image_resize::http {

std::string request_id_for(std::string_view client_value);

}  // namespace image_resize::http
