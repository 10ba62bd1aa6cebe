// `serve` on a data dir whose file system fills up mid-load, every flag at its default: uploads
// get 503 insufficient_storage with Retry-After and /readyz 503 before anything is written, the
// tasks already accepted wait without being lost, and once space is back every one of them ends
// SUCCESS within seconds. The file system is a 64 MiB tmpfs mounted for the test (the default
// floor is then 5 % of it), which needs root, as CI has; elsewhere the test is skipped.
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <thread>

#include "integration/redis_topology.h"
#include "support/prometheus_text.h"

namespace image_resize::integration {

using testing::ServerOptions;
namespace {

using namespace std::chrono_literals;
using SystemClock = std::chrono::system_clock;

class TmpfsMount {
 public:
  explicit TmpfsMount(const std::filesystem::path& at) : path_(at) {
    std::filesystem::create_directories(at);
    if (::mount("tmpfs", at.c_str(), "tmpfs", 0, "size=64m") == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~TmpfsMount() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  std::filesystem::path path_;
  bool mounted_ = false;
  std::string error_;
};

// Writes `path` until the file system has no byte left. Returns the bytes written.
std::size_t fill_up(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return 0;
  std::size_t written = 0;
  const std::string chunk(1 << 20, 'x');
  for (std::size_t size = chunk.size(); size >= 512; size /= 2) {
    while (true) {
      const ssize_t n = ::write(fd, chunk.data(), size);
      if (n <= 0) break;
      written += static_cast<std::size_t>(n);
    }
  }
  ::close(fd);
  return written;
}

double gauge(HttpClient& http, const std::string& name) {
  const HttpResponse metrics = http.get("/metrics");
  return testing::parse_exposition(metrics.body).value(name);
}

TEST(DiskFull, UploadsAreRefusedUntilSpaceIsBackAndEveryAcceptedTaskThenSucceeds) {
  testing::TempDir dir{"image-resize-disk-"};
  TmpfsMount tmpfs(dir.path() / "fs");
  if (!tmpfs.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here: " << tmpfs.error();
  ServerOptions options;
  options.binary = IMAGE_RESIZE_BINARY;
  options.data_dir = dir.path() / "fs" / "data";
  ServerProcess server(options);
  ASSERT_TRUE(server.started());
  HttpClient http(server.port(), 15s);
  ASSERT_EQ(http.get("/readyz").status, 200);
  EXPECT_GT(gauge(http, "image_resize_data_dir_free_bytes"),
            gauge(http, "image_resize_data_dir_min_free_bytes"));

  SteadyUploader uploader(server.port());
  std::this_thread::sleep_for(1500ms);
  // A burst of large uploads, so that the disk fills up under tasks accepted and not yet done.
  const std::size_t accepted_before = server.count_in_log("task accepted");
  Submitter burst(server.port(), 30, 8, large_photo());
  ASSERT_TRUE(server.wait_for_log("task accepted", 20s, accepted_before + 12)) << server.log_tail();
  const std::size_t filled = fill_up(dir.path() / "fs" / "filler");
  ASSERT_GT(filled, 0u);
  burst.join();
  for (int status : burst.unexpected()) EXPECT_EQ(status, 503);

  const HttpResponse refused = submit(http, fixture("photo.jpg"), {{"width", "64"}});
  EXPECT_TRUE(is_json_error(refused, 503, "insufficient_storage")) << refused;
  EXPECT_TRUE(refused.has_header("Retry-After")) << refused;
  const HttpResponse not_ready = http.get("/readyz");
  EXPECT_EQ(not_ready.status, 503) << not_ready;
  EXPECT_EQ(not_ready.json().value("storage", ""), "low") << not_ready;
  EXPECT_LT(gauge(http, "image_resize_data_dir_free_bytes"),
            gauge(http, "image_resize_data_dir_min_free_bytes"));
  std::this_thread::sleep_for(3s);  // the workers meet the full disk meanwhile

  std::filesystem::remove(dir.path() / "fs" / "filler");
  const auto back_at = SystemClock::now();
  std::this_thread::sleep_for(1s);
  uploader.stop();
  EXPECT_TRUE(uploader.unexpected.empty()) << "uploads answered neither 202 nor 503";
  EXPECT_GE(uploader.unavailable_codes["insufficient_storage"], 1);
  ASSERT_GE(uploader.accepted.size(), 10u);
  std::map<std::string, int> accepted = uploader.accepted;
  accepted.merge(burst.accepted());

  const Outcome outcome = await_all(server.port(), ids_of(accepted), 60s);
  expect_all_succeeded(outcome, accepted);
  EXPECT_GE(server.count_in_log("write failed"), 1u) << "the workers never met the full disk";
  SystemClock::time_point last{};
  for (const auto& [id, status] : outcome.last_status) {
    if (status.is_object() && status["finished_at"].is_string()) {
      last = std::max(last, parse_iso8601(status["finished_at"].get<std::string>())
                                .value_or(SystemClock::time_point{}));
    }
  }
  const double all_done = std::chrono::duration<double>(last - back_at).count();
  std::cout << "[disk-full] 202 " << accepted.size() << ", 503 " << uploader.unavailable
            << ", all done " << all_done << " s after space came back\n";
  EXPECT_LE(all_done, 30.0);
  EXPECT_EQ(http.get("/readyz").status, 200);
  EXPECT_EQ(server.terminate(), 0) << server.log_tail();
}

}  // namespace
}  // namespace image_resize::integration
