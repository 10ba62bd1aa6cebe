// bench-preload: fills a task store with N tasks, as if the service had run them, so that the
// benchmark can measure how the service's costs grow with the store (bench/run.sh --only scale).
//
//   bench-preload (--data-dir DIR | --redis URL) --count N [--state success|pending]
//                 [--input FILE] [--ids-out FILE] [--ids-sample K] [--threads T]
//
// --data-dir: serve's SQLite database in DIR (a `serve --data-dir DIR` started afterwards sees
// the tasks); --redis: the Redis of `api` and `worker --redis URL`.
// success: finished tasks as a tiny upload leaves them (640x480 JPEG → 100x100 fill, one
// attempt), expiring in ten years so that no sweeper removes them during a run. Their result
// blobs are not written: measure the result route on fresh tasks.
// pending: queued tasks, through TaskStore::create, each with the bytes of --input as its input
// blob in the file blob store under DIR (--data-dir, which api and worker share then too): a
// deep queue that the workers drain once they start.
// --ids-out writes K of the new ids (spread evenly over them), one a line, for status probes.
// Prints one JSON line: tasks, seconds, tasks_per_s.

#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/blob_stores.h"
#include "bench_task.h"
#include "core/clock.h"
#include "core/result_caching.h"
#include "metrics/registry.h"
#include "storage/blob_store.h"
#include "store_filler.h"
#include "tally.h"
#include "tool_main.h"

namespace po = boost::program_options;
using namespace image_resize;

namespace {

// Rows per transaction (SQLite) or per batch of parallel creates (Redis): large enough that
// the per-commit sync is noise, small enough to keep little in memory.
constexpr int kBatch = 10'000;
constexpr auto kFarFuture = std::chrono::hours(24 * 3650);

core::TaskRecord preloaded_task(bool finished, core::TimePoint now, int index) {
  core::ResizeSpec spec;
  spec.width = 100;
  spec.height = 100;
  core::TaskRecord task =
      core::TaskRecord::pending(core::TaskId::generate(), spec, core::ImageFormat::jpeg,
                                now - std::chrono::milliseconds(index % 1000), now + kFarFuture);
  if (!finished) return task;
  task.state = core::TaskState::success;
  task.started_at = task.created_at + std::chrono::milliseconds(2);
  task.finished_at = task.created_at + std::chrono::milliseconds(25);
  task.attempts = 1;
  // A 100x100 JPEG of a photo is 2-4 kB; its tag has the shape of a real one.
  task.output = core::TaskOutput{.width = 100,
                                 .height = 100,
                                 .format = core::ImageFormat::jpeg,
                                 .bytes = 2000U + static_cast<std::uint64_t>(index % 2000),
                                 .etag = core::result_entity_tag(task.id.str())};
  return task;
}

void require_ok(const core::Status& status) {
  if (!status.ok()) throw std::runtime_error(status.error().log_message());
}

// Adds one batch: finished tasks in bulk, or queued ones each with its input blob stored first,
// as the upload route does (`blobs` is set for those).
void add_batch(bench::StoreFiller& filler, storage::BlobStore* blobs,
               std::span<const core::TaskRecord> batch, const std::string& input, int threads) {
  if (blobs == nullptr) return require_ok(filler.add_finished(batch));
  require_ok(bench::run_until_error(threads, static_cast<int>(batch.size()), [&](int i) {
    const core::TaskRecord& task = batch[static_cast<std::size_t>(i)];
    if (auto put = blobs->put(storage::BlobKind::input, task.id, input); !put.ok()) return put;
    return filler.store().create(task);
  }));
}

struct Store {
  config::AppConfig config;
  std::unique_ptr<bench::StoreFiller> filler;
  std::unique_ptr<storage::BlobStore> blobs;  // for queued tasks' inputs only
};

Store open_store(const po::variables_map& args, bool finished, int threads,
                 metrics::Registry& metrics) {
  Store store;
  if (args.count("data-dir") != 0) store.config.data_dir = args["data-dir"].as<std::string>();
  core::Result<std::unique_ptr<bench::StoreFiller>> filler = std::unique_ptr<bench::StoreFiller>();
  if (args.count("redis") != 0) {
    store.config.redis_url = args["redis"].as<std::string>();
    filler = bench::open_redis_filler(store.config, threads);
  } else {
    std::filesystem::create_directories(store.config.data_dir);
    filler = bench::open_sqlite_filler(store.config);
  }
  if (!filler.ok()) throw std::runtime_error(filler.error().log_message());
  store.filler = std::move(filler).value();
  if (!finished) {
    auto blobs = app::open_blob_store(store.config, metrics);
    if (!blobs.ok()) throw std::runtime_error(blobs.error().log_message());
    store.blobs = std::move(blobs).value();
  }
  return store;
}

int run(int argc, char** argv) {
  po::options_description options("Options");
  auto add = options.add_options();
  add("help,h", "show this help");
  add("data-dir", po::value<std::string>(), "serve's data dir (its SQLite database)");
  add("redis", po::value<std::string>(), "redis://host:port/db of api and worker");
  add("count", po::value<int>()->default_value(1000), "tasks to add");
  add("state", po::value<std::string>()->default_value("success"), "success or pending");
  add("input", po::value<std::string>(), "pending: the input image of every task");
  add("ids-out", po::value<std::string>(), "write some of the new ids here, one a line");
  add("ids-sample", po::value<int>()->default_value(10'000), "how many ids --ids-out writes");
  add("threads", po::value<int>()->default_value(8), "parallel creates (Redis, pending)");
  po::variables_map args;
  po::store(po::parse_command_line(argc, argv, options), args);
  po::notify(args);
  const std::string state = args["state"].as<std::string>();
  const bool finished = state == "success";
  const bool pending_ok = state == "pending" && args.count("input") + args.count("data-dir") == 2;
  if (args.count("help") != 0 || args.count("data-dir") + args.count("redis") == 0 ||
      (!finished && !pending_ok)) {
    std::cout << "usage: bench-preload (--data-dir DIR | --redis URL) --count N [options]\n"
              << "(pending needs --input, and --data-dir for the input blobs)\n"
              << options;
    return args.count("help") != 0 ? 0 : 2;
  }

  const int threads = std::max(1, args["threads"].as<int>());
  metrics::Registry metrics;
  const Store store = open_store(args, finished, threads, metrics);
  const std::string input =
      finished ? std::string() : bench::read_file(args["input"].as<std::string>());
  const int count = std::max(0, args["count"].as<int>());
  const int every = std::max(1, count / std::max(1, args["ids-sample"].as<int>()));
  std::vector<std::string> sampled;
  const core::TimePoint now = core::now();
  const auto started = std::chrono::steady_clock::now();
  std::vector<core::TaskRecord> batch;
  for (int done = 0; done < count; done += static_cast<int>(batch.size())) {
    batch.clear();
    for (int i = done; i < std::min(count, done + kBatch); ++i) {
      batch.push_back(preloaded_task(finished, now, i));
      if (i % every == 0) sampled.push_back(batch.back().id.str());
    }
    add_batch(*store.filler, store.blobs.get(), batch, input, threads);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (args.count("ids-out") != 0) bench::write_lines(args["ids-out"].as<std::string>(), sampled);
  return bench::print_report({{"tool", "bench-preload"},
                              {"state", state},
                              {"tasks", count},
                              {"seconds", bench::rounded(seconds, 2)},
                              {"tasks_per_s", bench::rounded(count / std::max(seconds, 1e-9), 0)}});
}

}  // namespace

int main(int argc, char** argv) {
  return image_resize::bench::tool_main("bench-preload", argc, argv, run);
}
