#pragma once
// One benchmark workload: an input file and the resize asked of it. bench-load and
// bench-baseline read it from the same flags, so the service and the baseline do the very same
// work, and both check every output the same way.

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/resize_spec.h"
#include "imaging/image_processor.h"
#include "tally.h"

namespace image_resize::bench {

struct BenchTask {
  std::string name;   // the workload's name in the report
  std::string input;  // the input file's bytes
  imaging::ImageInfo input_info;
  core::ResizeSpec spec;  // width and height both set

  // The form fields of the upload (docs/API.md), besides the file.
  std::vector<std::pair<std::string, std::string>> form_fields() const;
  // "" when an output of this size and format is what the spec asks for, else what is wrong.
  std::string check_output(int width, int height, core::ImageFormat format) const;
  // The fields every tool reports about a run of `count` tasks after `warmup.ok() + errors`
  // warm-up ones: tool, workload, input_bytes, tasks, warmup_errors and Tally::summary.
  nlohmann::json report(const char* tool, int count, const Tally& warmup, const Tally& measured,
                        double seconds) const;
};

// The bytes of a file; throws std::invalid_argument when it cannot be read.
std::string read_file(const std::string& path);

// --name, --input and tools/resize_options.h (--width, --height, --fit, --format, ...).
void add_task_options(boost::program_options::options_description& options);
// Reads the input file and probes it with `images`. Throws std::invalid_argument when the
// flags or the file are unusable.
BenchTask load_task(const boost::program_options::variables_map& args,
                    imaging::ImageProcessor& images);

}  // namespace image_resize::bench
