// DELETE /api/v1/tasks/<id>: 204 and the task, its input and its result are gone (status and
// result both 404, no file named by the id left in the data dir); 404 for unknown ids.
#include "integration/api_helpers.h"

namespace image_resize::integration {
namespace {

class DeleteApi : public SharedServerTest {
 protected:
  std::size_t files_named_by(const std::string& id) { return blob_files_named_by(server(), id); }
};

TEST_F(DeleteApi, RemovesAFinishedTaskAndItsFiles) {
  const FinishedTask task = run_task(client(), fixture("photo.jpg"), {{"width", "50"}});
  ASSERT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
  ASSERT_EQ(client().get(std::string(kResultPath) + task.id).status, 200);
  EXPECT_GE(files_named_by(task.id), 1U) << "expected the input and result blobs on disk";

  const HttpResponse deleted = client().del(std::string(kTasksPath) + task.id);
  EXPECT_EQ(deleted.status, 204) << deleted;
  EXPECT_TRUE(deleted.body.empty());

  EXPECT_TRUE(
      is_json_error(client().get(std::string(kStatusPath) + task.id), 404, "task_not_found"));
  EXPECT_TRUE(
      is_json_error(client().get(std::string(kResultPath) + task.id), 404, "task_not_found"));
  EXPECT_EQ(files_named_by(task.id), 0U) << "the input or result file is still there";
  EXPECT_TRUE(is_json_error(client().del(std::string(kTasksPath) + task.id), 404, "task_not_found"))
      << "a second DELETE";
}

TEST_F(DeleteApi, RemovesAFailedTask) {
  const FinishedTask task = run_task(client(), fixture("truncated.jpg"), {{"width", "50"}});
  ASSERT_EQ(task.status.value("status", ""), "FAILURE") << task.status.dump();
  EXPECT_EQ(client().del(std::string(kTasksPath) + task.id).status, 204);
  EXPECT_EQ(client().get(std::string(kStatusPath) + task.id).status, 404);
}

TEST_F(DeleteApi, LeavesOtherTasksAlone) {
  const FinishedTask kept = run_task(client(), fixture("photo.jpg"), {{"width", "51"}});
  const FinishedTask removed = run_task(client(), fixture("photo.jpg"), {{"width", "52"}});
  ASSERT_EQ(client().del(std::string(kTasksPath) + removed.id).status, 204);
  EXPECT_EQ(client().get(std::string(kStatusPath) + kept.id).status, 200);
  EXPECT_EQ(client().get(std::string(kResultPath) + kept.id).status, 200);
}

TEST_F(DeleteApi, UnknownOrMalformedIdIsNotFound) {
  for (const char* id : {"3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b", "not-a-uuid"}) {
    SCOPED_TRACE(id);
    EXPECT_TRUE(is_json_error(client().del(std::string(kTasksPath) + id), 404, "task_not_found"));
  }
}

}  // namespace
}  // namespace image_resize::integration
