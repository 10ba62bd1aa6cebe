// bench-baseline: the same resizes as bench-load, through the same imaging module
// (VipsImageProcessor::resize with the same ResizeSpec and the service's default Limits), called
// directly on the service's number of worker threads: no HTTP, queue or disk. What the service
// could do at best on this machine; bench-load's figures are read as ratios to it.
//
//   bench-baseline --input FILE --width W --height H [--fit F] [--format F] [--quality Q]
//                  [--count N] [--threads T] [--warmup K] [--floor]
//
// With --floor the resizes are bench/bare_libvips.h's instead (JPEG only): the floor of the
// service's CPU per task.
//
// Prints one JSON object on stdout: tasks/s, latency of one resize, this process's CPU ms per
// task (getrusage) and peak RSS. Exits 1 if any resize failed.

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "bare_libvips.h"
#include "bench_task.h"
#include "core/limits.h"
#include "imaging/vips_image_processor.h"
#include "parallel.h"
#include "process_tree.h"
#include "tally.h"
#include "tool_main.h"
#include "worker/worker_config.h"

namespace po = boost::program_options;
using namespace image_resize;
using Clock = std::chrono::steady_clock;

namespace {

int run(int argc, char** argv) {
  po::options_description options("Options");
  bench::add_task_options(options);
  auto add = options.add_options();
  add("help,h", "show this help");
  add("count", po::value<int>()->default_value(300), "measured resizes");
  // The service's default (--workers 0): one worker thread per core.
  add("threads", po::value<int>()->default_value(worker::WorkerConfig{}.effective_resize_slots()),
      "resizes at once");
  add("floor", "the bare libvips resize (bare_libvips.h) instead of the imaging module's");
  add("warmup", po::value<int>()->default_value(-1),
      "resizes run before measuring (default: one per thread)");
  po::variables_map args;
  po::store(po::parse_command_line(argc, argv, options), args);
  po::notify(args);
  if (args.count("help") != 0 || args.count("input") == 0) {
    std::cout << "usage: bench-baseline --input FILE --width W --height H [options]\n" << options;
    return args.count("help") != 0 ? 0 : 2;
  }

  imaging::VipsImageProcessor module_images;
  bench::BareLibvipsProcessor bare_images;
  const bool floor = args.count("floor") != 0;
  imaging::ImageProcessor& images =
      floor ? static_cast<imaging::ImageProcessor&>(bare_images) : module_images;
  const bench::BenchTask task = bench::load_task(args, module_images);
  const core::Limits limits;  // the service's defaults, processing deadline included
  const int count = args["count"].as<int>();
  const int threads = std::max(1, args["threads"].as<int>());
  const int warmup = args["warmup"].as<int>() < 0 ? threads : args["warmup"].as<int>();

  const auto resize_all = [&](bench::Tally& tally, int end) {
    bench::run_parallel(threads, 0, end, [&](int /*thread*/, int /*index*/) {
      const auto started = Clock::now();
      auto result = images.resize(task.input, task.spec, limits);
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
      if (!result.ok()) return tally.failure(std::string(core::to_string(result.error().code)));
      if (result->bytes.empty()) return tally.failure("empty output");
      const std::string problem = task.check_output(result->width, result->height, result->format);
      if (!problem.empty()) return tally.failure(problem);
      tally.success(ms);
    });
  };

  bench::Tally warmup_tally;
  resize_all(warmup_tally, warmup);
  bench::Tally tally;
  const double cpu_before = bench::self_cpu_ms();
  const auto started = Clock::now();
  resize_all(tally, count);
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const double cpu_ms = bench::self_cpu_ms() - cpu_before;

  nlohmann::json report = task.report("bench-baseline", count, warmup_tally, tally, seconds);
  report["threads"] = threads;
  report["floor"] = floor;
  report["cpu_ms_total"] = bench::rounded(cpu_ms, 1);
  report["cpu_ms_per_task"] = bench::rounded(cpu_ms / std::max(count, 1), 3);
  report["peak_rss_mib"] = bench::mib(bench::self_peak_rss_bytes());
  return bench::print_report(report);
}

}  // namespace

int main(int argc, char** argv) {
  return image_resize::bench::tool_main("bench-baseline", argc, argv, run);
}
