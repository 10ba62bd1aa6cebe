// The benchmark tools end to end, on a few small tasks: the workload generator is deterministic,
// the baseline and the load generator run every task and check it, the load generator measures
// the server's process tree and counts failed tasks as errors, the quality tool scores the
// service's results against its reference, and the batch tool runs a batch and its tasks one by
// one.

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "support/fixtures.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "tool_run.h"

namespace image_resize::bench {
namespace {

using testing::ServerProcess;
using testing::TempDir;

// As bench/run.sh starts it: the same bytes uploaded again are resized again.
testing::ServerOptions serve_options() {
  testing::ServerOptions options;
  options.binary = IMAGE_RESIZE_BINARY;
  options.args = {"--reuse-results", "false"};
  return options;
}

class BenchSmokeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const Outcome written = run(std::string(BENCH_WORKLOAD_BINARY)
                                    .append(" --only jpeg_640x480.jpg --out ")
                                    .append(inputs_.path().string()));
    ASSERT_EQ(written.exit_code, 0) << written.output;
    input_ = (inputs_.path() / "jpeg_640x480.jpg").string();
  }

  // The task flags both tools share.
  std::string task_flags(int width) const {
    return std::string(" --input ")
        .append(input_)
        .append(" --width ")
        .append(std::to_string(width))
        .append(" --height 100 --count 5");
  }

  // bench-load against `server` with the task flags for `width` and `extra` flags.
  Outcome run_load(ServerProcess& server, int width, const std::string& extra) const {
    return run(std::string(BENCH_LOAD_BINARY)
                   .append(task_flags(width))
                   .append(" --concurrency 2 --port ")
                   .append(std::to_string(server.port()))
                   .append(extra));
  }

  TempDir inputs_{"image-resize-bench-"};
  std::string input_;
};

TEST_F(BenchSmokeTest, WorkloadIsTheSameForTheSameSeedAndPhotoLike) {
  const TempDir again("image-resize-bench-");
  const TempDir other_seed("image-resize-bench-");
  ASSERT_EQ(run(std::string(BENCH_WORKLOAD_BINARY)
                    .append(" --only jpeg_640x480.jpg --out ")
                    .append(again.path().string()))
                .exit_code,
            0);
  ASSERT_EQ(run(std::string(BENCH_WORKLOAD_BINARY)
                    .append(" --seed 2 --only jpeg_640x480.jpg --out ")
                    .append(other_seed.path().string()))
                .exit_code,
            0);
  const std::string bytes = testing::read_file(input_);
  EXPECT_EQ(bytes, testing::read_file(again.path() / "jpeg_640x480.jpg"));
  EXPECT_NE(bytes, testing::read_file(other_seed.path() / "jpeg_640x480.jpg"));
  // Texture and grain: a flat or smooth picture would compress far below 1 bit per pixel.
  EXPECT_GT(bytes.size(), 640U * 480U / 8U);
}

TEST_F(BenchSmokeTest, BaselineResizesAndChecksEveryImage) {
  const Outcome baseline =
      run(std::string(BENCH_BASELINE_BINARY).append(task_flags(100)).append(" --threads 2"));
  ASSERT_EQ(baseline.exit_code, 0) << baseline.output;
  const nlohmann::json report = baseline.json();
  EXPECT_EQ(report["ok"], 5) << report;
  EXPECT_EQ(report["errors"], 0) << report;
  EXPECT_EQ(report["threads"], 2) << report;
  EXPECT_GT(report["tasks_per_s"].get<double>(), 0) << report;
  EXPECT_GT(report["cpu_ms_per_task"].get<double>(), 0) << report;
}

TEST_F(BenchSmokeTest, FloorResizesWithBareLibvipsAndChecksEveryImage) {
  const Outcome floor =
      run(std::string(BENCH_BASELINE_BINARY).append(task_flags(100)).append(" --floor"));
  ASSERT_EQ(floor.exit_code, 0) << floor.output;
  const nlohmann::json report = floor.json();
  EXPECT_EQ(report["floor"], true) << report;
  EXPECT_EQ(report["ok"], 5) << report;
  EXPECT_EQ(report["errors"], 0) << report;
  EXPECT_GT(report["cpu_ms_per_task"].get<double>(), 0) << report;
}

TEST_F(BenchSmokeTest, LoadRunsTasksThroughTheServiceAndMeasuresItsProcessTree) {
  ServerProcess server(serve_options());
  ASSERT_TRUE(server.started());
  const Outcome load =
      run_load(server, 100,
               std::string(" --checkpoint 2 --server-pid ").append(std::to_string(server.pid())));
  ASSERT_EQ(load.exit_code, 0) << load.output << server.log_tail();
  const nlohmann::json report = load.json();
  EXPECT_EQ(report["ok"], 5) << report;
  EXPECT_EQ(report["errors"], 0) << report;
  EXPECT_EQ(report["task_id"].get<std::string>().size(), 36U) << report;
  for (const char* step : {"upload", "wait", "result"}) {
    EXPECT_GT(report["steps_ms"][step]["p50"].get<double>(), 0) << step << report;
  }
  EXPECT_GT(report["server"]["cpu_ms_total"].get<double>(), 0) << report;
  EXPECT_GT(report["server"]["peak_rss_mib"].get<double>(), 1) << report;
  // PSS shares the helpers' libraries among them: more than nothing, at most the RSS sum.
  EXPECT_GT(report["server"]["peak_pss_mib"].get<double>(), 1) << report;
  EXPECT_LE(report["server"]["peak_pss_mib"].get<double>(),
            report["server"]["peak_rss_mib"].get<double>())
      << report;
  // The main process's own peak (VmHWM), and its imaging helpers found by the /proc scan.
  EXPECT_GT(report["server"]["root_hwm_rss_mib"].get<double>(), 1) << report;
  EXPECT_GE(report["server"]["processes_max"].get<int>(), 2) << report;
  ASSERT_EQ(report["checkpoints"].size(), 2U) << report;
  EXPECT_EQ(report["checkpoints"][0]["tasks"], 2) << report;
  EXPECT_EQ(report["checkpoints"][1]["tasks"], 5) << report;
  // 2 warm-up tasks and 5 measured ones (a worker logs just after it records the task).
  EXPECT_TRUE(server.wait_for_log("task succeeded", std::chrono::seconds(10), 7));
  EXPECT_EQ(server.count_in_log("task succeeded"), 7U) << server.log_tail();
}

TEST_F(BenchSmokeTest, LoadMeasuresAStoreApartAndListsEveryLatency) {
  ServerProcess server(serve_options());
  ASSERT_TRUE(server.started());
  // Any process tree will do as the store: here the server's own.
  const Outcome load = run_load(
      server, 100, std::string(" --latencies --store-pid ").append(std::to_string(server.pid())));
  ASSERT_EQ(load.exit_code, 0) << load.output << server.log_tail();
  const nlohmann::json report = load.json();
  EXPECT_GT(report["store"]["cpu_ms_total"].get<double>(), 0) << report;
  EXPECT_GE(report["store"]["processes"].get<int>(), 2) << report;
  EXPECT_GT(report["store"]["rss_mib"].get<double>(), 1) << report;
  ASSERT_EQ(report["latencies_ms"].size(), 5U) << report;
  for (const auto& ms : report["latencies_ms"]) EXPECT_GT(ms.get<double>(), 0) << report;
  EXPECT_FALSE(report.contains("server")) << report;
}

TEST_F(BenchSmokeTest, LoadCountsRejectedTasksAsErrors) {
  ServerProcess server(serve_options());
  ASSERT_TRUE(server.started());
  // Wider than --max-dimension (10000): every upload gets 422.
  const Outcome load = run_load(server, 20000, "");
  EXPECT_EQ(load.exit_code, 1) << load.output;
  const nlohmann::json report = load.json();
  EXPECT_EQ(report["ok"], 0) << report;
  EXPECT_EQ(report["errors"], 5) << report;
  EXPECT_EQ(report["error_samples"], nlohmann::json::array({"upload: HTTP 422"})) << report;
}

TEST_F(BenchSmokeTest, BatchRunsABatchAndTheSameTasksOneByOne) {
  ServerProcess server(serve_options());
  ASSERT_TRUE(server.started());
  const Outcome batch =
      run(std::string(BENCH_BATCH_BINARY)
              .append(" --input ")
              .append(input_)
              .append(" --files 2 --concurrency 2 --rounds 1 --variants '")
              .append(R"([{"name":"a","width":100,"height":100,"fit":"cover","format":"webp"},)")
              .append(R"({"name":"b","width":200,"format":"jpeg"}]')")
              .append(" --port ")
              .append(std::to_string(server.port())));
  ASSERT_EQ(batch.exit_code, 0) << batch.output << server.log_tail();
  const nlohmann::json report = batch.json();
  EXPECT_EQ(report["errors"], 0) << report;
  for (const char* mode : {"batch", "one_by_one"}) {
    EXPECT_EQ(report[mode]["tasks"], 4) << mode << report;
    EXPECT_EQ(report[mode]["ok"], 4) << mode << report;
    EXPECT_EQ(report[mode]["rounds_s"].size(), 1U) << mode << report;
    EXPECT_GT(report[mode]["tasks_per_s"].get<double>(), 0) << mode << report;
  }
  EXPECT_GT(report["ratio"].get<double>(), 0) << report;
  EXPECT_TRUE(server.wait_for_log("task succeeded", std::chrono::seconds(10), 8));
  EXPECT_EQ(server.count_in_log("task succeeded"), 8U) << server.log_tail();
}

// bench-load saves a result at two JPEG qualities; bench-quality scores them and its own
// reference (saved as 8-bit PNG) against the reference.
TEST_F(BenchSmokeTest, QualityScoresResultsAgainstTheReference) {
  ServerProcess server(serve_options());
  ASSERT_TRUE(server.started());
  const TempDir outputs("image-resize-bench-");
  const std::string reference = (outputs.path() / "reference.png").string();
  const std::string q95 = (outputs.path() / "q95.jpg").string();
  const std::string q50 = (outputs.path() / "q50.jpg").string();
  for (const auto& [quality, file] : {std::pair{"95", q95}, std::pair{"50", q50}}) {
    const Outcome load = run(std::string(BENCH_LOAD_BINARY)
                                 .append(" --input ")
                                 .append(input_)
                                 .append(" --width 200 --height 150 --count 1 --warmup 0")
                                 .append(" --concurrency 1 --quality ")
                                 .append(quality)
                                 .append(" --save-result ")
                                 .append(file)
                                 .append(" --port ")
                                 .append(std::to_string(server.port())));
    ASSERT_EQ(load.exit_code, 0) << load.output << server.log_tail();
  }
  const std::string tool = std::string(BENCH_QUALITY_BINARY)
                               .append(" --input ")
                               .append(input_)
                               .append(" --width 200 --height 150 ");
  ASSERT_EQ(run(tool + "--save-reference " + reference).exit_code, 0);

  const Outcome scored = run(tool + reference + " " + q95 + " " + q50);
  ASSERT_EQ(scored.exit_code, 0) << scored.output;
  const nlohmann::json report = scored.json();
  ASSERT_EQ(report["outputs"].size(), 3U) << report;
  const nlohmann::json& exact = report["outputs"][0];
  const nlohmann::json& good = report["outputs"][1];
  const nlohmann::json& poor = report["outputs"][2];
  // The reference differs from itself only by rounding to 8 bits.
  EXPECT_GT(exact["ssim"].get<double>(), 0.999) << report;
  EXPECT_GT(exact["psnr_db"].get<double>(), 50) << report;
  EXPECT_GT(good["ssim"].get<double>(), poor["ssim"].get<double>() + 0.01) << report;
  EXPECT_GT(poor["ssim"].get<double>(), 0.5) << report;
  EXPECT_GT(good["psnr_db"].get<double>(), poor["psnr_db"].get<double>()) << report;
  EXPECT_EQ(good["bytes"], std::filesystem::file_size(q95)) << report;
  EXPECT_GT(good["bytes"].get<int>(), poor["bytes"].get<int>()) << report;
}

}  // namespace
}  // namespace image_resize::bench
