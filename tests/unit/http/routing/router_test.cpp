#include "http/router.h"

#include <gtest/gtest.h>

namespace image_resize::http {
namespace {

using boost::beast::http::verb;
using Kind = RouteMatch::Kind;

struct RouteCase {
  std::string name;
  verb method;
  std::string target;
  Kind kind;
  RouteId route;
  std::string id;
  std::string allow;
};

class Router : public ::testing::TestWithParam<RouteCase> {};

TEST_P(Router, Matches) {
  const RouteCase& c = GetParam();
  const RouteMatch match = match_route(c.method, c.target);
  EXPECT_EQ(match.kind, c.kind);
  if (c.kind != Kind::not_found) {
    EXPECT_EQ(match.route, c.route);
  }
  EXPECT_EQ(std::string(match.id), c.id);
  EXPECT_EQ(match.allow, c.allow);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, Router,
    ::testing::Values(
        RouteCase{"upload", verb::post, "/api/v1/images/resize", Kind::matched, RouteId::resize, "",
                  ""},
        RouteCase{"upload_get_is_405", verb::get, "/api/v1/images/resize", Kind::method_not_allowed,
                  RouteId::resize, "", "POST"},
        RouteCase{"status", verb::get, "/api/v1/status/abc", Kind::matched, RouteId::status, "abc",
                  ""},
        RouteCase{"status_with_query", verb::get, "/api/v1/status/abc?wait=5", Kind::matched,
                  RouteId::status, "abc", ""},
        RouteCase{"status_post_is_405", verb::post, "/api/v1/status/abc", Kind::method_not_allowed,
                  RouteId::status, "abc", "GET, HEAD"},
        RouteCase{"status_without_id", verb::get, "/api/v1/status/", Kind::not_found,
                  RouteId::status, "", ""},
        RouteCase{"status_two_segments", verb::get, "/api/v1/status/a/b", Kind::not_found,
                  RouteId::status, "", ""},
        RouteCase{"result_head", verb::head, "/api/v1/images/result/x", Kind::matched,
                  RouteId::result, "x", ""},
        RouteCase{"delete", verb::delete_, "/api/v1/tasks/x", Kind::matched, RouteId::delete_task,
                  "x", ""},
        RouteCase{"delete_get_is_405", verb::get, "/api/v1/tasks/x", Kind::method_not_allowed,
                  RouteId::delete_task, "x", "DELETE"},
        RouteCase{"batch", verb::get, "/api/v1/batches/b1", Kind::matched, RouteId::batch, "b1",
                  ""},
        RouteCase{"batch_delete", verb::delete_, "/api/v1/batches/b1", Kind::matched,
                  RouteId::batch, "b1", ""},
        RouteCase{"batch_archive", verb::get, "/api/v1/batches/b1/archive", Kind::matched,
                  RouteId::batch_archive, "b1", ""},
        RouteCase{"batch_archive_delete_is_405", verb::delete_, "/api/v1/batches/b1/archive",
                  Kind::method_not_allowed, RouteId::batch_archive, "b1", "GET, HEAD"},
        RouteCase{"batch_archive_without_id", verb::get, "/api/v1/batches//archive",
                  Kind::not_found, RouteId::healthz, "", ""},
        RouteCase{"batch_other_suffix", verb::get, "/api/v1/batches/b1/zip", Kind::not_found,
                  RouteId::healthz, "", ""},
        RouteCase{"healthz", verb::get, "/healthz", Kind::matched, RouteId::healthz, "", ""},
        RouteCase{"readyz", verb::get, "/readyz", Kind::matched, RouteId::readyz, "", ""},
        RouteCase{"unknown", verb::get, "/nope", Kind::not_found, RouteId::healthz, "", ""},
        RouteCase{"prefix_only", verb::get, "/api/v1/images", Kind::not_found, RouteId::healthz, "",
                  ""}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(RouterQuery, KeepsTheQueryApart) {
  const RouteMatch match = match_route(verb::get, "/api/v1/status/abc?wait=5&x=1");
  EXPECT_EQ(match.query, "wait=5&x=1");
}

}  // namespace
}  // namespace image_resize::http
