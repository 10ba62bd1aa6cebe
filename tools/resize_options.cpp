#include "resize_options.h"

#include <stdexcept>
#include <string>

namespace image_resize::tools {

namespace po = boost::program_options;

void add_resize_options(po::options_description& options) {
  auto add = options.add_options();
  add("width", po::value<int>(), "target width in pixels");
  add("height", po::value<int>(), "target height in pixels");
  add("fit", po::value<std::string>()->default_value("fill"), "fill, inside, cover or contain");
  add("format", po::value<std::string>()->default_value("same"),
      "same, jpeg, png, webp, avif, gif or tiff");
  add("quality", po::value<int>()->default_value(core::kDefaultQuality), "1..100, lossy formats");
  add("background", po::value<std::string>(), "#rrggbb or #rrggbbaa, for fit=contain");
}

core::ResizeSpec resize_spec_from(const po::variables_map& args) {
  core::ResizeSpec spec;
  if (args.count("width") != 0) spec.width = args["width"].as<int>();
  if (args.count("height") != 0) spec.height = args["height"].as<int>();
  if (!spec.width && !spec.height) throw std::invalid_argument("give --width, --height or both");
  const std::string fit_name = args["fit"].as<std::string>();
  const auto fit = core::parse_fit(fit_name);
  if (!fit) throw std::invalid_argument(std::string("unknown --fit ").append(fit_name));
  spec.fit = *fit;
  const std::string format_name = args["format"].as<std::string>();
  const auto format = core::parse_output_format(format_name);
  if (!format) throw std::invalid_argument(std::string("unknown --format ").append(format_name));
  spec.format = *format;
  spec.quality = args["quality"].as<int>();
  if (spec.quality < 1 || spec.quality > 100) {
    throw std::invalid_argument("--quality must be 1..100");
  }
  if (args.count("background") != 0) {
    spec.background = core::parse_rgba(args["background"].as<std::string>());
    if (!spec.background) throw std::invalid_argument("--background must be #rrggbb or #rrggbbaa");
  }
  return spec;
}

}  // namespace image_resize::tools
