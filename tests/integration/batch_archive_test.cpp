// A batch's archive (issue #20) is sent from the ZIP's file as it is read, not built in memory:
// a large one arrives whole and valid, HEAD gives its length, the server's peak memory grows by
// far less than the archive, a client gone mid-download costs no descriptor, and the connection
// stays usable after it. The archive's entries are checked in batches_test.cpp.
#include <sys/socket.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "integration/batch_helpers.h"
#include "support/raw_connection.h"
#include "synthetic_photo.h"

namespace image_resize::integration {
namespace {

using namespace std::chrono_literals;

// A "Vm...:" field of /proc/<pid>/status, in KiB; -1 when absent.
long status_kib(pid_t pid, std::string_view field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with(field)) return std::atol(line.c_str() + field.size());
  }
  return -1;
}

std::size_t open_descriptors(pid_t pid) {
  std::error_code error;
  std::size_t count = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", error);
       !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    ++count;
  }
  return count;
}

// Waits (up to 10 s) for `pid` to hold at most `count` descriptors; the last count seen.
std::size_t descriptors_settled_at(pid_t pid, std::size_t count) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (open_descriptors(pid) > count && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  return open_descriptors(pid);
}

class BatchArchive : public SharedServerTest {
 protected:
  // A finished batch of `files` photo-like images, each in `variants`; its id.
  std::string finished_batch(int files, const std::vector<SizedVariant>& variants) {
    std::vector<NamedFile> named;
    for (int i = 0; i < files; ++i) {
      named.push_back(
          {"photo" + std::to_string(i) + ".jpg",
           bench::synthetic_photo(
               {.width = 2000, .height = 1500, .seed = static_cast<std::uint32_t>(i + 1)})});
    }
    const HttpResponse accepted =
        submit_batch(client(), named, {{"variants", variants_json(variants)}});
    EXPECT_EQ(accepted.status, 202) << accepted;
    const std::string id = accepted.json().value("batch_id", "");
    const auto batch = wait_for_batch(client(), id, 300);
    EXPECT_TRUE(batch.value("done", false)) << batch.dump();
    EXPECT_EQ(batch["summary"]["SUCCESS"], files * static_cast<int>(variants.size()))
        << batch["summary"].dump();
    return id;
  }
};

// Lossless and full-sized: results of a few MiB each, stored as they are in the ZIP.
const std::vector<SizedVariant> kLargeVariants = {
    {"full", 2000, 1500, "png"}, {"large", 1800, 1350, "png"}, {"wide", 1900, 1200, "png"}};

TEST_F(BatchArchive, ALargeArchiveIsStreamedWholeWithoutBeingHeldInMemory) {
  const std::string archive_path =
      std::string(kBatchesPath) + finished_batch(4, kLargeVariants) + "/archive";
  const pid_t pid = server().pid_of_port(client_port());
  ASSERT_GT(pid, 0);

  // The kernel's peak counter of the serving process, reset to its current resident set.
  const bool hwm_reset =
      static_cast<bool>(std::ofstream("/proc/" + std::to_string(pid) + "/clear_refs") << "5");
  const long hwm_before = status_kib(pid, "VmHWM:");
  const HttpResponse archive = client().get(archive_path);
  const long hwm_growth = status_kib(pid, "VmHWM:") - hwm_before;
  ASSERT_EQ(archive.status, 200) << archive.status;
  EXPECT_EQ(archive.header("Content-Type").value_or(""), "application/zip");
  EXPECT_EQ(archive.header("X-Batch-Complete").value_or(""), "true");
  EXPECT_EQ(archive.header("Cache-Control").value_or(""), "private, no-store");
  EXPECT_EQ(archive.header("Content-Length").value_or(""), std::to_string(archive.body.size()));
  EXPECT_TRUE(archive.header("X-Request-Id").has_value());
  const long archive_kib = static_cast<long>(archive.body.size() / 1024);
  std::cout << "[batch archive] " << archive_kib << " KiB; server's peak RSS growth "
            << (hwm_reset ? std::to_string(hwm_growth) + " KiB" : "not measured") << "\n";
  EXPECT_GT(archive.body.size(), 16U * 1024 * 1024) << "results too small to tell";
  EXPECT_TRUE(unzip_tests_ok(archive.body));
  EXPECT_EQ(unzip_entries(archive.body).size(), 12U);
  if (hwm_reset) {
    EXPECT_LT(hwm_growth, archive_kib / 4) << "the archive was held in memory";
  }
  // The access log (and the response-bytes metric, from the same number) counts the file's bytes.
  EXPECT_TRUE(server().wait_for_log("bytes_out=" + std::to_string(archive.body.size()), 5s));

  // HEAD: the same length, no body.
  const HttpResponse head = client().head(archive_path);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("Content-Length").value_or(""), std::to_string(archive.body.size()));
  EXPECT_EQ(head.header("Content-Type").value_or(""), "application/zip");
  EXPECT_TRUE(head.body.empty());

  // A client gone after the first bytes: the server neither crashes nor keeps the ZIP open.
  const std::size_t descriptors_before = open_descriptors(pid);
  {
    testing::RawConnection raw(client_port());
    ASSERT_TRUE(raw.connected());
    ASSERT_TRUE(raw.send("GET " + archive_path + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    char start[4096];
    EXPECT_GT(::recv(raw.fd(), start, sizeof start, 0), 0);
  }  // closed with most of the archive unread: a reset under the server's write
  EXPECT_LE(descriptors_settled_at(pid, descriptors_before), descriptors_before);
  EXPECT_EQ(client().get(archive_path).body.size(), archive.body.size());
}

TEST_F(BatchArchive, AKeptAliveConnectionServesTheArchiveThenTheBatch) {
  const std::string id = finished_batch(1, {{"small", 64, 48, "png"}, {"mid", 400, 300, "png"}});
  const int connections = client().connections_opened();
  const HttpResponse archive = client().get(std::string(kBatchesPath) + id + "/archive");
  ASSERT_EQ(archive.status, 200);
  EXPECT_TRUE(unzip_tests_ok(archive.body));
  const HttpResponse head = client().head(std::string(kBatchesPath) + id + "/archive");
  EXPECT_EQ(head.header("Content-Length").value_or(""), std::to_string(archive.body.size()));
  const HttpResponse batch = client().get(std::string(kBatchesPath) + id);
  ASSERT_EQ(batch.status, 200) << batch;
  EXPECT_EQ(batch.json().value("batch_id", ""), id);
  EXPECT_EQ(client().connections_opened(), connections) << "the connection was not kept";
}

}  // namespace
}  // namespace image_resize::integration
