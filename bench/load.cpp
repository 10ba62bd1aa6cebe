// bench-load: drives a running image-resize over HTTP as a client does, and measures it.
//
//   bench-load --port P --input FILE --width W --height H [--fit F] [--format F] [--quality Q]
//              [--count N] [--concurrency C] [--warmup K] [--server-pid PID] [--checkpoint K]...
//              [--store-pid PID] [--latencies] [--mode task|upload|status] [--ids FILE]
//              [--expect STATE] [--ids-out FILE] [--save-result FILE]
//
// A task: POST the upload (202) → GET /api/v1/status/<id>?wait=30 until SUCCESS → GET the
// result → probe its bytes (not empty, the size and format asked for). Latency runs from the
// start of the upload to the last byte of the result. C tasks are in flight at once, one per
// client thread, each on its own keep-alive connection. With --server-pid the server's process
// tree is sampled for CPU time and RSS; with --checkpoint K (creep mode) the run pauses after
// K measured tasks, lets the tasks in flight finish, and records the tree's RSS. With
// --store-pid the CPU time of a store the server talks to (an S3 server) is measured apart from
// the server's, over the same measured tasks; --latencies adds every measured task's latency,
// so runs can be pooled. Each step of a task is timed too (steps_ms: upload = the POST,
// wait = the status polls until SUCCESS, result = the GET of the result).
// --mode upload: only the POST of each task (202), for a queue no worker drains. --mode status:
// one GET /api/v1/status/<id> (no wait) per id of FILE (one a line, taken in a shuffled order,
// each once while there are more ids than requests, so that no cache answers for the store),
// answered 200 and, with --expect, in that state: the status route on a store's old tasks.
// --ids-out writes the ids of the measured tasks, one a line (for a later --mode status).
// --save-result writes the first measured task's result to FILE, for bench-quality to judge.
// Prints one JSON object on stdout; exits 1 if any task failed.

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "bench_task.h"
#include "core/limits.h"
#include "imaging/vips_image_processor.h"
#include "parallel.h"
#include "process_tree.h"
#include "support/http_client.h"
#include "tally.h"
#include "task_wait.h"
#include "tool_main.h"

namespace po = boost::program_options;
using namespace image_resize;
using bench::failed;
using bench::kWaitSeconds;
using testing::HttpClient;
using testing::HttpResponse;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// What each step of one task took.
struct Steps {
  double upload_ms = 0;
  double wait_ms = 0;
  double result_ms = 0;
};

struct Upload {
  std::string content_type;
  std::string body;  // built once: every task sends the same bytes
};

class Client {
 public:
  Client(const bench::BenchTask& task, const Upload& upload, imaging::ImageProcessor& images)
      : task_(task), upload_(upload), images_(images) {}

  // The upload alone; "" on success, else what went wrong. `id` gets the task id.
  std::string upload(HttpClient& http, std::string& id) const {
    const HttpResponse accepted =
        http.post("/api/v1/images/resize", upload_.content_type, upload_.body);
    if (accepted.status != 202) return failed("upload", accepted);
    id = accepted.json().value("task_id", "");
    return id.empty() ? "upload: 202 without task_id" : "";
  }

  // One task start to finish, timing its steps; "" on success, else what went wrong.
  // `result_bytes`, when given, gets the result's bytes.
  std::string run(HttpClient& http, std::string& id, Steps& steps,
                  std::string* result_bytes) const {
    auto step_started = Clock::now();
    if (std::string problem = upload(http, id); !problem.empty()) return problem;
    steps.upload_ms = ms_since(step_started);

    step_started = Clock::now();
    if (std::string problem = bench::wait_for_success(http, id); !problem.empty()) return problem;
    steps.wait_ms = ms_since(step_started);

    step_started = Clock::now();
    const HttpResponse result = http.get(std::string("/api/v1/images/result/").append(id));
    steps.result_ms = ms_since(step_started);
    if (result.status != 200) return failed("result", result);
    if (result.body.empty()) return "result: empty body";
    const auto info = images_.probe(result.body, core::Limits{});
    if (!info.ok()) return std::string("result: ").append(info.error().public_message);
    const std::string problem = task_.check_output(info->width, info->height, info->format);
    if (!problem.empty()) return std::string("result: ").append(problem);
    if (result_bytes != nullptr) *result_bytes = result.body;
    return "";
  }

  // One status read without waiting; "" when it answers 200 (in state `expect`, if not empty).
  static std::string status(HttpClient& http, const std::string& id, const std::string& expect) {
    const HttpResponse status = http.get(std::string("/api/v1/status/").append(id));
    if (status.status != 200) return failed("status", status);
    const std::string state = status.json().value("status", "");
    return expect.empty() || state == expect ? "" : "status: " + state + ", not " + expect;
  }

 private:
  const bench::BenchTask& task_;
  const Upload& upload_;
  imaging::ImageProcessor& images_;
};

// A failed write is said on stderr only: the run's figures still count.
void save_result(const std::string& path, const std::string& bytes) {
  std::ofstream file(path, std::ios::binary);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!file) std::cerr << "bench-load: cannot write " << path << "\n";
}

// The ids of `path`, one a line, in a shuffled order (the same every run).
std::vector<std::string> read_ids(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> ids;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) ids.push_back(line);
  }
  if (ids.empty()) throw std::invalid_argument("no ids in " + path);
  std::shuffle(ids.begin(), ids.end(), std::mt19937(1));
  return ids;
}

// The percentiles of each step's times, for the report.
struct StepTallies {
  bench::Tally upload, wait, result;

  void add(const Steps& steps) {
    upload.success(steps.upload_ms);
    wait.success(steps.wait_ms);
    result.success(steps.result_ms);
  }
  nlohmann::json report() const {
    return {{"upload", upload.summary(0)["latency_ms"]},
            {"wait", wait.summary(0)["latency_ms"]},
            {"result", result.summary(0)["latency_ms"]}};
  }
};

int run(int argc, char** argv) {
  po::options_description options("Options");
  bench::add_task_options(options);
  auto add = options.add_options();
  add("help,h", "show this help");
  add("host", po::value<std::string>()->default_value("127.0.0.1"), "server address");
  add("port", po::value<std::uint16_t>(), "server port");
  add("count", po::value<int>()->default_value(300), "measured tasks");
  add("concurrency", po::value<int>()->default_value(8), "tasks in flight at once");
  add("warmup", po::value<int>()->default_value(-1),
      "tasks run before measuring (default: one per client)");
  add("server-pid", po::value<int>(), "the server's pid: sample its process tree");
  add("sample-ms", po::value<int>()->default_value(20), "process tree sampling interval");
  add("checkpoint", po::value<std::vector<int>>(),
      "creep mode: record RSS after this many measured tasks (repeatable)");
  add("store-pid", po::value<int>(), "a store's pid: report its process tree's CPU apart");
  add("latencies", "report every measured task's latency (latencies_ms)");
  add("mode", po::value<std::string>()->default_value("task"),
      "task (upload, wait, result), upload (the POST only) or status (of --ids)");
  add("ids", po::value<std::string>(), "status mode: task ids, one a line");
  add("expect", po::value<std::string>()->default_value(""), "status mode: the state expected");
  add("ids-out", po::value<std::string>(), "write the measured tasks' ids here, one a line");
  add("save-result", po::value<std::string>(), "write the first measured task's result here");
  po::variables_map args;
  po::store(po::parse_command_line(argc, argv, options), args);
  po::notify(args);
  const std::string mode = args["mode"].as<std::string>();
  if (args.count("help") != 0 || args.count("port") == 0 ||
      (mode != "task" && mode != "upload" && mode != "status") ||
      (mode == "status") != (args.count("ids") != 0)) {
    std::cout << "usage: bench-load --port P --input FILE --width W --height H [options]\n"
              << "       (--mode status needs --ids FILE, and only it)\n"
              << options;
    return args.count("help") != 0 ? 0 : 2;
  }

  imaging::VipsImageProcessor images;
  const bench::BenchTask task = bench::load_task(args, images);
  testing::MultipartBody form;
  form.file("file", "input", "application/octet-stream", task.input);
  for (const auto& [name, value] : task.form_fields()) form.field(name, value);
  const Upload upload{form.content_type(), form.body()};
  const Client client(task, upload, images);
  const std::vector<std::string> ids =
      mode == "status" ? read_ids(args["ids"].as<std::string>()) : std::vector<std::string>{};
  const std::string expect = args["expect"].as<std::string>();

  const int count = args["count"].as<int>();
  const int concurrency = std::max(1, args["concurrency"].as<int>());
  const int warmup = args["warmup"].as<int>() < 0 ? concurrency : args["warmup"].as<int>();
  std::vector<std::unique_ptr<HttpClient>> connections;
  connections.reserve(static_cast<std::size_t>(concurrency));
  for (int i = 0; i < concurrency; ++i) {
    connections.push_back(std::make_unique<HttpClient>(args["port"].as<std::uint16_t>(),
                                                       std::chrono::seconds(kWaitSeconds + 30),
                                                       args["host"].as<std::string>()));
  }
  bench::Tally warmup_tally;
  bench::Tally tally;
  std::optional<bench::TreeSampler> sampler;
  if (args.count("server-pid") != 0) {
    sampler.emplace(args["server-pid"].as<int>(),
                    std::chrono::milliseconds(args["sample-ms"].as<int>()));
  }

  // Read at the start and the end only: its CPU time is cumulative, and the server's sampler
  // already takes its share of the cores.
  std::optional<bench::ProcessTree> store;
  if (args.count("store-pid") != 0) store.emplace(args["store-pid"].as<int>());
  constexpr bench::ProcessTree::Reads kStoreReads{.descendants = true};

  std::mutex id_mutex;
  std::string last_id;
  std::vector<std::string> measured_ids;  // guarded by id_mutex
  StepTallies step_tallies;
  const bool keep_result = args.count("save-result") != 0;
  std::string first_result;  // written by the task of measured index 0 only
  // One task of the mode; `index` picks the id of a status read.
  const auto run_one = [&](HttpClient& http, int index, std::string& id, Steps& steps,
                           bool measured) {
    if (mode == "upload") return client.upload(http, id);
    if (mode == "task") {
      const bool keep = keep_result && measured && index == 0;
      return client.run(http, id, steps, keep ? &first_result : nullptr);
    }
    id = ids[static_cast<std::size_t>(index) % ids.size()];
    return Client::status(http, id, expect);
  };
  // Warm-up reads take the ids after the measured ones: `offset` shifts the indices.
  const auto run_tasks = [&](bench::Tally& into, int begin, int end, int offset = 0) {
    bench::run_parallel(concurrency, begin, end, [&](int thread, int index) {
      std::string id;
      Steps steps;
      const auto started = Clock::now();
      const std::string problem =
          run_one(*connections[thread], index + offset, id, steps, &into == &tally);
      if (!problem.empty()) return into.failure(problem);
      into.success(ms_since(started));
      if (mode == "task" && &into == &tally) step_tallies.add(steps);
      const std::lock_guard lock(id_mutex);
      last_id = id;
      if (&into == &tally) measured_ids.push_back(id);
    });
  };

  run_tasks(warmup_tally, 0, warmup, count);

  std::vector<int> stops = args.count("checkpoint") != 0 ? args["checkpoint"].as<std::vector<int>>()
                                                         : std::vector<int>{};
  std::erase_if(stops, [count](int k) { return k <= 0 || k >= count; });
  stops.push_back(count);
  std::sort(stops.begin(), stops.end());
  stops.erase(std::unique(stops.begin(), stops.end()), stops.end());

  nlohmann::json checkpoints = nlohmann::json::array();
  const double cpu_before = sampler ? sampler->now().cpu_ms : 0;
  const double client_cpu_before = bench::self_cpu_ms();
  const double store_cpu_before = store ? store->sample(kStoreReads).cpu_ms : 0;
  const auto started = Clock::now();
  int done = 0;
  for (const int stop : stops) {
    run_tasks(tally, done, stop);
    done = stop;
    if (sampler && args.count("checkpoint") != 0) {
      checkpoints.push_back({{"tasks", stop}, {"rss_mib", bench::mib(sampler->now().rss_bytes)}});
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const double client_cpu_ms = bench::self_cpu_ms() - client_cpu_before;
  std::optional<bench::TreeSample> store_after;
  if (store) store_after = store->sample(kStoreReads);

  if (args.count("ids-out") != 0)
    bench::write_lines(args["ids-out"].as<std::string>(), measured_ids);
  // A failed first task leaves no file: bench-quality then reports the missing output.
  if (keep_result && !first_result.empty()) {
    save_result(args["save-result"].as<std::string>(), first_result);
  }

  nlohmann::json report = task.report("bench-load", count, warmup_tally, tally, seconds);
  report["concurrency"] = concurrency;
  report["mode"] = mode;
  if (mode == "task") report["steps_ms"] = step_tallies.report();
  // This client's own CPU, which the server had to share the cores with.
  report["client_cpu_ms_per_task"] = bench::rounded(client_cpu_ms / std::max(count, 1), 3);
  report["task_id"] = last_id;
  if (sampler) {
    const double cpu_ms = sampler->now().cpu_ms - cpu_before;
    report["server"] = {{"cpu_ms_total", bench::rounded(cpu_ms, 1)},
                        {"cpu_ms_per_task", bench::rounded(cpu_ms / std::max(count, 1), 3)},
                        {"peak_rss_mib", bench::mib(sampler->peak_rss_bytes())},
                        {"peak_pss_mib", bench::mib(sampler->peak_pss_bytes())},
                        {"root_hwm_rss_mib", bench::mib(sampler->root_hwm_bytes())},
                        {"processes_max", sampler->peak_processes()}};
    if (!checkpoints.empty()) report["checkpoints"] = checkpoints;
  }
  if (store_after) {
    const double cpu_ms = store_after->cpu_ms - store_cpu_before;
    // 0 processes: the store had exited by the end, and its CPU time is unknown.
    report["store"] = {{"cpu_ms_total", bench::rounded(cpu_ms, 1)},
                       {"cpu_ms_per_task", bench::rounded(cpu_ms / std::max(count, 1), 3)},
                       {"rss_mib", bench::mib(store_after->rss_bytes)},
                       {"processes", store_after->processes}};
  }
  if (args.count("latencies") != 0) {
    nlohmann::json latencies = nlohmann::json::array();
    for (const double ms : tally.latencies_ms()) latencies.push_back(bench::rounded(ms, 2));
    report["latencies_ms"] = latencies;
  }
  return bench::print_report(report);
}

}  // namespace

int main(int argc, char** argv) {
  return image_resize::bench::tool_main("bench-load", argc, argv, run);
}
