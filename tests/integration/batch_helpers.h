#pragma once
// What the batch tests (issue #20) share: an upload of several named files, waiting on a batch
// with ?wait, the entries of its ZIP archive, and what a refused upload must not leave behind
// (input blobs, queued tasks).

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "integration/api_helpers.h"

namespace image_resize::integration {

inline constexpr std::string_view kBatchesPath = "/api/v1/batches/";

struct NamedFile {
  std::string name;  // the part's filename
  std::string bytes;
};

// A resize form with one `file` part per file, in order, then the fields.
MultipartBody batch_form(const std::vector<NamedFile>& files, const Fields& fields);
HttpResponse submit_batch(HttpClient& client, const std::vector<NamedFile>& files,
                          const Fields& fields, const testing::HeaderList& headers = {});
// The `variants` field of variants named by `name`, each giving width, height and format.
struct SizedVariant {
  std::string name;
  int width = 0;
  int height = 0;
  std::string format;
};
std::string variants_json(const std::vector<SizedVariant>& variants);

// GET /api/v1/batches/<id>?wait=30 repeated until "done" or `max_seconds` pass; the last batch
// JSON (a discarded value, and a failure, on a non-200).
nlohmann::json wait_for_batch(HttpClient& client, const std::string& id, int max_seconds = 120,
                              const testing::HeaderList& headers = {});

// The entries of a ZIP (name → bytes), read back with Info-ZIP's unzip, independently of the
// service's libzip; empty, and a failure, when unzip cannot read it.
std::map<std::string, std::string> unzip_entries(std::string_view zip);
// Whether Info-ZIP's `unzip -t` finds every entry of the ZIP intact (its CRC checked).
bool unzip_tests_ok(std::string_view zip);

// Tasks queued now, all priorities (the dashboard's "queue").
int queued_task_count(HttpClient& client, const testing::HeaderList& headers = {});
// queued_task_count() until it is 0 or `max_wait` passes; the last count. A task can show
// SUCCESS just before its queue entry is acked, or keep the entry of a killed worker until it
// is handed out again, seen finished and dropped.
int queued_task_count_once_settled(HttpClient& client, std::chrono::seconds max_wait);

}  // namespace image_resize::integration
