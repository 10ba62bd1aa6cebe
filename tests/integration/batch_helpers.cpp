#include "integration/batch_helpers.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/fixtures.h"
#include "support/temp_dir.h"

namespace image_resize::integration {

MultipartBody batch_form(const std::vector<NamedFile>& files, const Fields& fields) {
  MultipartBody form;
  for (const NamedFile& file : files) {
    form.file("file", file.name, "application/octet-stream", file.bytes);
  }
  for (const auto& [name, value] : fields) form.field(name, value);
  return form;
}

HttpResponse submit_batch(HttpClient& client, const std::vector<NamedFile>& files,
                          const Fields& fields, const testing::HeaderList& headers) {
  const MultipartBody form = batch_form(files, fields);
  testing::HeaderList all = headers;
  all.emplace_back("Content-Type", form.content_type());
  return client.request("POST", kResizePath, all, form.body());
}

std::string variants_json(const std::vector<SizedVariant>& variants) {
  nlohmann::json list = nlohmann::json::array();
  for (const SizedVariant& variant : variants) {
    list.push_back({{"name", variant.name},
                    {"width", variant.width},
                    {"height", variant.height},
                    {"format", variant.format}});
  }
  return list.dump();
}

nlohmann::json wait_for_batch(HttpClient& client, const std::string& id, int max_seconds,
                              const testing::HeaderList& headers) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(max_seconds);
  nlohmann::json last;
  do {
    const HttpResponse response = client.get(std::string(kBatchesPath) + id + "?wait=30", headers);
    if (response.status != 200) {
      ADD_FAILURE() << "batch " << id << ": " << response;
      return nlohmann::json(nlohmann::json::value_t::discarded);
    }
    last = response.json();
    if (last.value("done", false)) break;
  } while (std::chrono::steady_clock::now() < deadline);
  return last;
}

std::map<std::string, std::string> unzip_entries(std::string_view zip) {
  testing::TempDir dir("image-resize-zip-");
  const auto archive = dir.path() / "archive.zip";
  const auto out = dir.path() / "entries";
  std::ofstream(archive, std::ios::binary)
      .write(zip.data(), static_cast<std::streamsize>(zip.size()));
  const std::string command =
      "unzip -q -o '" + archive.string() + "' -d '" + out.string() + "' >/dev/null 2>&1";
  std::map<std::string, std::string> entries;
  if (std::system(command.c_str()) != 0) {
    ADD_FAILURE() << "unzip could not read the archive (" << zip.size() << " bytes)";
    return entries;
  }
  std::error_code error;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(out, error)) {
    if (!entry.is_regular_file()) continue;
    entries[std::filesystem::relative(entry.path(), out).string()] =
        testing::read_file(entry.path());
  }
  return entries;
}

bool unzip_tests_ok(std::string_view zip) {
  testing::TempDir dir("image-resize-zip-");
  const auto archive = dir.path() / "archive.zip";
  std::ofstream(archive, std::ios::binary)
      .write(zip.data(), static_cast<std::streamsize>(zip.size()));
  const std::string command = "unzip -tq '" + archive.string() + "' >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

int queued_task_count(HttpClient& client, const testing::HeaderList& headers) {
  const HttpResponse response = client.get("/api/v1/dashboard", headers);
  EXPECT_EQ(response.status, 200) << response;
  const auto dashboard = response.json();
  int count = 0;
  if (!dashboard.is_object() || !dashboard.contains("queue")) return -1;
  for (const auto& [priority, queued] : dashboard["queue"].items()) count += queued.get<int>();
  return count;
}

int queued_task_count_once_settled(HttpClient& client, std::chrono::seconds max_wait) {
  const auto deadline = std::chrono::steady_clock::now() + max_wait;
  int count = queued_task_count(client);
  while (count != 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    count = queued_task_count(client);
  }
  return count;
}

}  // namespace image_resize::integration
