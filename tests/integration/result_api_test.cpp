// GET and HEAD /api/v1/images/result/<id>: the bytes with Content-Type, Content-Length, ETag and
// Cache-Control; conditional requests; results that stay after a download; and the two kinds
// of 404 (no such task, and a task whose result is not there).
#include "integration/api_helpers.h"

namespace image_resize::integration {
namespace {

class ResultApi : public SharedServerTest {
 protected:
  // A finished 80x60 PNG task, made once per test.
  std::string finished_png() {
    const FinishedTask task = run_task(client(), fixture("photo.jpg"),
                                       {{"width", "80"}, {"height", "60"}, {"format", "png"}});
    EXPECT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
    return task.id;
  }
};

TEST_F(ResultApi, ServesTheImageWithItsHeaders) {
  const std::string id = finished_png();
  ASSERT_FALSE(id.empty());
  const HttpResponse response = client().get(std::string(kResultPath) + id);
  ASSERT_EQ(response.status, 200) << response;
  EXPECT_EQ(response.header("Content-Type").value_or(""), "image/png");
  EXPECT_EQ(response.header("Content-Length").value_or(""), std::to_string(response.body.size()));
  EXPECT_FALSE(response.header("ETag").value_or("").empty()) << response;
  EXPECT_FALSE(response.header("Cache-Control").value_or("").empty()) << response;
  const auto info = inspect_image(response.body);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->format, "png");
  EXPECT_EQ(info->width, 80);
  EXPECT_EQ(info->height, 60);
}

TEST_F(ResultApi, HeadAnswersTheSameHeadersWithoutABody) {
  const std::string id = finished_png();
  ASSERT_FALSE(id.empty());
  const std::string path = std::string(kResultPath) + id;
  const HttpResponse got = client().get(path);
  const HttpResponse head = client().head(path);
  ASSERT_EQ(got.status, 200) << got;
  ASSERT_EQ(head.status, 200) << head;
  EXPECT_TRUE(head.body.empty());
  for (const char* name : {"Content-Type", "Content-Length", "ETag", "Cache-Control"}) {
    EXPECT_EQ(head.header(name), got.header(name)) << name;
  }
  // The connection is still usable after a HEAD (no phantom body was sent).
  EXPECT_EQ(client().get("/healthz").status, 200);
}

TEST_F(ResultApi, IfNoneMatchWithTheETagIsNotModified) {
  const std::string id = finished_png();
  ASSERT_FALSE(id.empty());
  const std::string path = std::string(kResultPath) + id;
  const HttpResponse first = client().get(path);
  ASSERT_EQ(first.status, 200) << first;
  const std::string etag = first.header("ETag").value_or("");
  ASSERT_FALSE(etag.empty());

  const HttpResponse cached = client().get(path, {{"If-None-Match", etag}});
  EXPECT_EQ(cached.status, 304) << cached;
  EXPECT_TRUE(cached.body.empty());
  EXPECT_EQ(cached.header("ETag").value_or(""), etag);

  const HttpResponse listed = client().get(path, {{"If-None-Match", "\"other\", " + etag}});
  EXPECT_EQ(listed.status, 304) << listed;
  const HttpResponse star = client().get(path, {{"If-None-Match", "*"}});
  EXPECT_EQ(star.status, 304) << star;

  const HttpResponse stale = client().get(path, {{"If-None-Match", "\"not-the-etag\""}});
  EXPECT_EQ(stale.status, 200) << stale;
  EXPECT_EQ(stale.body, first.body);
}

TEST_F(ResultApi, DifferentResultsHaveDifferentETags) {
  const std::string a = finished_png();
  const FinishedTask b =
      run_task(client(), fixture("photo.jpg"), {{"width", "81"}, {"format", "png"}});
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.id.empty());
  const auto etag_a = client().head(std::string(kResultPath) + a).header("ETag");
  const auto etag_b = client().head(std::string(kResultPath) + b.id).header("ETag");
  ASSERT_TRUE(etag_a && etag_b);
  EXPECT_NE(*etag_a, *etag_b);
}

TEST_F(ResultApi, StaysAfterTheFirstDownload) {
  const std::string id = finished_png();
  ASSERT_FALSE(id.empty());
  const std::string path = std::string(kResultPath) + id;
  const HttpResponse first = client().get(path);
  HttpClient other(server().port());  // a second client, on its own connection
  const HttpResponse second = other.get(path);
  ASSERT_EQ(first.status, 200) << first;
  ASSERT_EQ(second.status, 200) << second;
  EXPECT_EQ(first.body, second.body);
  EXPECT_EQ(client().get(std::string(kStatusPath) + id).status, 200);
}

TEST_F(ResultApi, FailedTaskHasNoResult) {
  const FinishedTask task = run_task(client(), fixture("truncated.jpg"), {{"width", "50"}});
  ASSERT_EQ(task.status.value("status", ""), "FAILURE") << task.status.dump();
  const HttpResponse response = client().get(std::string(kResultPath) + task.id);
  ASSERT_TRUE(is_json_error(response, 404, "result_not_ready"));
  EXPECT_EQ(response.json().value("status", ""), "FAILURE") << response;
}

TEST_F(ResultApi, UnknownOrMalformedIdIsTaskNotFound) {
  for (const char* id : {"3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b", "not-a-uuid", "..", "%00"}) {
    SCOPED_TRACE(id);
    const std::string path = std::string(kResultPath) + id;
    EXPECT_TRUE(is_json_error(client().get(path), 404, "task_not_found"));
    const HttpResponse head = client().head(path);
    EXPECT_EQ(head.status, 404) << head;
    EXPECT_TRUE(head.body.empty());
  }
}

}  // namespace
}  // namespace image_resize::integration
