#include "bench_task.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/limits.h"
#include "resize_options.h"

namespace image_resize::bench {

namespace po = boost::program_options;

std::vector<std::pair<std::string, std::string>> BenchTask::form_fields() const {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"width", std::to_string(*spec.width)},
      {"height", std::to_string(*spec.height)},
      {"fit", std::string(core::to_string(spec.fit))},
      {"format", std::string(core::to_string(spec.format))},
      {"quality", std::to_string(spec.quality)}};
  if (spec.background) fields.emplace_back("background", core::format_rgba(*spec.background));
  return fields;
}

std::string BenchTask::check_output(int width, int height, core::ImageFormat format) const {
  const int box_width = *spec.width;
  const int box_height = *spec.height;
  // fill, cover and contain give the box exactly; inside touches it on one side.
  const bool size_ok = spec.fit == core::Fit::inside
                           ? width <= box_width && height <= box_height &&
                                 (width == box_width || height == box_height)
                           : width == box_width && height == box_height;
  std::string problem;
  if (!size_ok) {
    problem.append("size ")
        .append(std::to_string(width))
        .append("x")
        .append(std::to_string(height));
  }
  const auto expected_format = spec.format == core::OutputFormat::same
                                   ? std::optional(input_info.format)
                                   : core::parse_image_format(core::to_string(spec.format));
  if (format != expected_format) {
    if (!problem.empty()) problem.append(", ");
    problem.append("format ").append(core::to_string(format));
  }
  return problem;
}

nlohmann::json BenchTask::report(const char* tool, int count, const Tally& warmup,
                                 const Tally& measured, double seconds) const {
  nlohmann::json fields = {{"tool", tool},
                           {"workload", name},
                           {"input_bytes", input.size()},
                           {"tasks", count},
                           {"warmup", warmup.ok() + warmup.errors()},
                           {"warmup_errors", warmup.errors()}};
  fields.update(measured.summary(seconds));
  return fields;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) throw std::invalid_argument(std::string("cannot read ").append(path));
  return std::move(bytes).str();
}

void add_task_options(po::options_description& options) {
  auto add = options.add_options();
  add("name", po::value<std::string>()->default_value("workload"), "the workload's name");
  add("input", po::value<std::string>(), "input image file");
  tools::add_resize_options(options);
}

BenchTask load_task(const po::variables_map& args, imaging::ImageProcessor& images) {
  BenchTask task;
  task.name = args["name"].as<std::string>();
  task.spec = tools::resize_spec_from(args);
  if (args.count("input") == 0 || !task.spec.width || !task.spec.height) {
    throw std::invalid_argument("give --input, --width and --height");
  }
  const std::string path = args["input"].as<std::string>();
  task.input = read_file(path);
  auto info = images.probe(task.input, core::Limits{});
  if (!info.ok()) {
    throw std::invalid_argument(std::string(path).append(": ").append(info.error().public_message));
  }
  task.input_info = *info;
  return task;
}

}  // namespace image_resize::bench
