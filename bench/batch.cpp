// bench-batch: a batch's throughput against the same images uploaded one by one.
//
//   bench-batch --port P --input FILE --files N --variants JSON [--concurrency C] [--rounds R]
//               [--max-files M] [--name NAME]
//
// Each round runs both modes on the same N × V tasks (V variants), the order alternating from
// round to round so that a machine whose load drifts weighs on both alike:
// - batch: one upload with N `file` parts (the input's bytes, named f1.jpg, f2.jpg, …) and the
//   `variants` field (docs/API.md, "Batches, variants and presets"), then
//   GET /api/v1/batches/<id>?wait=30 until done; every task must end in SUCCESS. Timed from the
//   start of the POST to done. More than M files (the server's --max-batch-files, default 32)
//   go in several uploads of at most M, sent one after the other, then waited on.
// - one by one: each task a single upload with its variant's fields as form fields and
//   priority=low (a batch's tasks' default, so both run at the same priority), C at a time on C
//   client threads, each POST then GET /api/v1/status/<id>?wait=30 until it ends. Timed from
//   the first POST to the last task's end.
// Prints one JSON object on stdout: per mode the tasks, each round's seconds, the median and
// tasks/s (tasks ÷ median seconds); ratio = batch tasks/s ÷ one-by-one tasks/s; errors (tasks
// not ended in SUCCESS, both modes). Exits 1 if any task failed.

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_task.h"
#include "parallel.h"
#include "support/http_client.h"
#include "tally.h"
#include "task_wait.h"
#include "tool_main.h"

namespace po = boost::program_options;
using namespace image_resize;
using bench::failed;
using nlohmann::json;
using testing::HttpClient;
using testing::HttpResponse;
using testing::MultipartBody;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kBatchBudget = std::chrono::minutes(10);

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Upload {
  std::string content_type;
  std::string body;  // built once: every round sends the same bytes
  int files = 1;     // the file parts in it
};

Upload upload_of(const MultipartBody& form, int files = 1) {
  return {form.content_type(), form.body(), files};
}

// A variant's value as a form field sends it: strings as they are, numbers and booleans as JSON.
std::string field_value(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// The single upload of one variant: the file and the variant's fields but its name.
Upload single_upload(const std::string& input, const json& variant) {
  MultipartBody form;
  form.file("file", "f1.jpg", "application/octet-stream", input);
  for (const auto& [name, value] : variant.items()) {
    if (name != "name") form.field(name, field_value(value));
  }
  form.field("priority", "low");
  return upload_of(form);
}

// The batch uploads: files f1.jpg … fN.jpg, at most `max_files` an upload, each with `variants`.
std::vector<Upload> batch_uploads(const std::string& input, int files, int max_files,
                                  const std::string& variants) {
  std::vector<Upload> uploads;
  for (int first = 1; first <= files; first += max_files) {
    const int last = std::min(files, first + max_files - 1);
    MultipartBody form;
    for (int i = first; i <= last; ++i) {
      // Appended, not "f" + std::to_string(i): g++ 12 at -O3 warns (-Wrestrict) of the latter.
      std::string name = "f";
      name.append(std::to_string(i)).append(".jpg");
      form.file("file", name, "application/octet-stream", input);
    }
    form.field("variants", variants);
    uploads.push_back(upload_of(form, last - first + 1));
  }
  return uploads;
}

// GET <url>?wait=30 until the batch is done or `deadline` passes; "" when done (`body` gets its
// status), else what went wrong.
std::string wait_for_batch(HttpClient& http, const std::string& url, Clock::time_point deadline,
                           json& body) {
  const std::string target = url + "?wait=" + std::to_string(bench::kWaitSeconds);
  for (;;) {
    const HttpResponse status = http.get(target);
    if (status.status != 200) return failed("batch", status);
    body = status.json();
    if (body.value("done", false)) return "";
    if (Clock::now() > deadline) return "batch not done in 10 min";
  }
}

// One batch round: the uploads, then each batch waited on until done. Every task counts in
// `tally` (its success without a latency of its own: the batch is timed as a whole).
void run_batch(HttpClient& http, const std::vector<Upload>& uploads, int variants,
               bench::Tally& tally) {
  std::vector<std::pair<std::string, int>> batches;  // url, tasks asked for
  for (const Upload& upload : uploads) {
    const HttpResponse accepted =
        http.post("/api/v1/images/resize", upload.content_type, upload.body);
    const json body = accepted.json();
    const std::string url = accepted.status == 202 ? body.value("batch_url", "") : "";
    if (url.empty()) {
      // No task was made: each one that this upload asked for is an error.
      const std::string reason =
          accepted.status == 202 ? "upload: 202 without batch_url" : failed("upload", accepted);
      for (int i = 0; i < upload.files * variants; ++i) tally.failure(reason);
      continue;
    }
    batches.emplace_back(url, upload.files * variants);
  }
  const auto deadline = Clock::now() + kBatchBudget;
  for (const auto& [url, asked] : batches) {
    json body;
    const std::string problem = wait_for_batch(http, url, deadline, body);
    if (!problem.empty()) {
      for (int i = 0; i < asked; ++i) tally.failure(problem);
      continue;
    }
    const json listed = body.value("tasks", json::array());
    // A task deleted since is not listed: it did not end in SUCCESS.
    for (auto i = listed.size(); i < static_cast<std::size_t>(asked); ++i) {
      tally.failure("task missing from the batch");
    }
    for (const json& task : listed) {
      const std::string state = task.value("status", "");
      if (state == "SUCCESS") {
        tally.success(0);
      } else if (state == "FAILURE") {
        tally.failure("task FAILURE: " + task.value("error", json::object()).value("code", "?"));
      } else {
        tally.failure("task " + state);
      }
    }
  }
}

// The figures of one mode over its rounds.
json mode_report(int tasks, const std::vector<double>& seconds, const bench::Tally& tally) {
  json rounds = json::array();
  for (const double s : seconds) rounds.push_back(bench::rounded(s, 3));
  // Nearest rank: the middle round of an odd count.
  const double median = bench::percentile(seconds, 0.5);
  const json summary = tally.summary(0);
  return {{"tasks", tasks},
          {"rounds_s", rounds},
          {"median_s", bench::rounded(median, 3)},
          {"tasks_per_s", bench::rounded(median > 0 ? tasks / median : 0, 2)},
          {"ok", tally.ok()},
          {"errors", tally.errors()},
          {"error_samples", summary["error_samples"]}};
}

int run(int argc, char** argv) {
  po::options_description options("Options");
  auto add = options.add_options();
  add("help,h", "show this help");
  add("name", po::value<std::string>()->default_value("batch"), "the run's name in the report");
  add("host", po::value<std::string>()->default_value("127.0.0.1"), "server address");
  add("port", po::value<std::uint16_t>(), "server port");
  add("input", po::value<std::string>(), "the image every file part sends");
  add("files", po::value<int>()->default_value(20), "files in the batch (N)");
  add("variants", po::value<std::string>(), "the variants field: a JSON array of outputs");
  add("concurrency", po::value<int>()->default_value(8), "one by one: tasks in flight at once");
  add("rounds", po::value<int>()->default_value(3), "rounds of both modes");
  add("max-files", po::value<int>()->default_value(32),
      "files an upload at the most (the server's --max-batch-files)");
  po::variables_map args;
  po::store(po::parse_command_line(argc, argv, options), args);
  po::notify(args);
  if (args.count("help") != 0 || args.count("port") == 0 || args.count("input") == 0 ||
      args.count("variants") == 0) {
    std::cout << "usage: bench-batch --port P --input FILE --variants JSON [options]\n" << options;
    return args.count("help") != 0 ? 0 : 2;
  }
  const std::string variants_text = args["variants"].as<std::string>();
  const json variants = json::parse(variants_text, nullptr, false);
  if (!variants.is_array() || variants.empty()) {
    throw std::invalid_argument("--variants is not a JSON array of outputs");
  }
  const int files = args["files"].as<int>();
  const int max_files = args["max-files"].as<int>();
  const int rounds = args["rounds"].as<int>();
  if (files < 1 || max_files < 1 || rounds < 1) {
    throw std::invalid_argument("--files, --max-files and --rounds must be at least 1");
  }
  const int concurrency = std::max(1, args["concurrency"].as<int>());
  const int variant_count = static_cast<int>(variants.size());
  const int tasks = files * variant_count;

  const std::string input = bench::read_file(args["input"].as<std::string>());
  const std::vector<Upload> batch = batch_uploads(input, files, max_files, variants_text);
  std::vector<Upload> singles;
  singles.reserve(variants.size());
  for (const json& variant : variants) singles.push_back(single_upload(input, variant));

  std::vector<std::unique_ptr<HttpClient>> connections;
  connections.reserve(static_cast<std::size_t>(concurrency));
  for (int i = 0; i < concurrency; ++i) {
    connections.push_back(std::make_unique<HttpClient>(
        args["port"].as<std::uint16_t>(), std::chrono::seconds(bench::kWaitSeconds + 30),
        args["host"].as<std::string>()));
  }

  bench::Tally batch_tally;
  bench::Tally single_tally;
  std::vector<double> batch_seconds;
  std::vector<double> single_seconds;
  const auto run_batch_round = [&] {
    const auto started = Clock::now();
    run_batch(*connections[0], batch, variant_count, batch_tally);
    batch_seconds.push_back(seconds_since(started));
  };
  const auto run_single_round = [&] {
    const auto started = Clock::now();
    bench::run_parallel(concurrency, 0, tasks, [&](int thread, int index) {
      HttpClient& http = *connections[thread];
      const Upload& upload = singles[static_cast<std::size_t>(index % variant_count)];
      const HttpResponse accepted =
          http.post("/api/v1/images/resize", upload.content_type, upload.body);
      const std::string id = accepted.status == 202 ? accepted.json().value("task_id", "") : "";
      if (id.empty()) return single_tally.failure(failed("upload", accepted));
      const std::string problem = bench::wait_for_success(http, id);
      if (problem.empty()) return single_tally.success(0);
      single_tally.failure(problem);
    });
    single_seconds.push_back(seconds_since(started));
  };
  for (int round = 0; round < rounds; ++round) {
    if (round % 2 == 0) {
      run_batch_round();
      run_single_round();
    } else {
      run_single_round();
      run_batch_round();
    }
  }

  json report = {{"tool", "bench-batch"},
                 {"workload", args["name"].as<std::string>()},
                 {"input_bytes", input.size()},
                 {"files", files},
                 {"variants", variant_count},
                 {"uploads_per_batch", batch.size()},
                 {"concurrency", concurrency},
                 {"rounds", rounds},
                 {"batch", mode_report(tasks, batch_seconds, batch_tally)},
                 {"one_by_one", mode_report(tasks, single_seconds, single_tally)}};
  const double batch_rate = report["batch"]["tasks_per_s"].get<double>();
  const double single_rate = report["one_by_one"]["tasks_per_s"].get<double>();
  report["ratio"] = bench::rounded(single_rate > 0 ? batch_rate / single_rate : 0, 3);
  report["errors"] = batch_tally.errors() + single_tally.errors();
  json samples = report["batch"]["error_samples"];
  for (const json& sample : report["one_by_one"]["error_samples"]) {
    if (std::find(samples.begin(), samples.end(), sample) == samples.end())
      samples.push_back(sample);
  }
  report["error_samples"] = samples;
  return bench::print_report(report);
}

}  // namespace

int main(int argc, char** argv) {
  return image_resize::bench::tool_main("bench-batch", argc, argv, run);
}
