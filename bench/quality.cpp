// bench-quality: how close resized outputs are to an ideal resize of their input, so that the
// benchmark never buys speed with a worse picture than the peer's.
//
//   bench-quality --input FILE --width W --height H OUTPUT... [--save-reference FILE]
//
// The reference: the input decoded whole at full size (no shrink-on-load), turned upright (EXIF
// orientation), converted to sRGB (through its ICC profile when it has one), composited over
// white when it has alpha, then libvips' resize with the Lanczos3 kernel and no box shrink before
// it (gap 0), across and down apart to exactly W×H (fit fill), kept in float and clamped to
// 0..255, never encoded. Compositing before resizing is the same as resizing with premultiplied
// alpha (as libvips' thumbnail and sharp do) and compositing after: both are linear.
// Each OUTPUT is decoded and converted the same way (sRGB, over white) and compared with it:
// SSIM and PSNR as ssim.h says (the mean over R, G and B).
// Prints one JSON line: {"tool", "input", "width", "height", "outputs": [{"file", "bytes",
// "ssim", "psnr_db"}]} (psnr_db null for an output equal to the reference). --save-reference
// writes the reference rounded to 8 bits as a PNG file.

#include <boost/program_options.hpp>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>
#include <vips/vips8>

#include "ssim.h"
#include "tool_main.h"

namespace po = boost::program_options;
using vips::VImage;

namespace {

// An image as it is seen: upright, sRGB, in float, any alpha composited over white.
VImage as_seen(const VImage& decoded) {
  VImage image = decoded.autorot();
  if (image.get_typeof(VIPS_META_ICC_NAME) != 0) {
    image = image.icc_transform("srgb", VImage::option()->set("embedded", true));
  }
  image = image.colourspace(VIPS_INTERPRETATION_sRGB).cast(VIPS_FORMAT_FLOAT);
  if (!image.has_alpha()) return image;
  return image.flatten(VImage::option()->set("background", std::vector<double>{255, 255, 255}));
}

VImage clamped(const VImage& image) {
  return (image < 0).ifthenelse(0.0, (image > 255).ifthenelse(255.0, image));
}

VImage reference(const std::string& input, int width, int height) {
  const VImage source = as_seen(VImage::new_from_file(input.c_str()));
  const VImage resized =
      source.resize(static_cast<double>(width) / source.width(),
                    VImage::option()
                        ->set("vscale", static_cast<double>(height) / source.height())
                        ->set("kernel", VIPS_KERNEL_LANCZOS3)
                        ->set("gap", 0.0));
  if (resized.width() != width || resized.height() != height) {
    throw std::runtime_error("the reference came out " + std::to_string(resized.width()) + "x" +
                             std::to_string(resized.height()));
  }
  // Once: every output is compared with it.
  return clamped(resized).copy_memory();
}

nlohmann::json compare(const VImage& ideal, const std::string& output) {
  const VImage image = as_seen(VImage::new_from_file(output.c_str()));
  const double psnr = image_resize::bench::psnr_db(ideal, image);
  return {{"file", output},
          {"bytes", std::filesystem::file_size(output)},
          {"ssim", std::round(image_resize::bench::ssim(ideal, image) * 1e5) / 1e5},
          {"psnr_db",
           std::isinf(psnr) ? nlohmann::json() : nlohmann::json(std::round(psnr * 100) / 100)}};
}

int run(int argc, char** argv) {
  po::options_description options("Options");
  auto add = options.add_options();
  add("help,h", "show this help");
  add("input", po::value<std::string>(), "the input image the outputs were resized from");
  add("width", po::value<int>(), "the outputs' width");
  add("height", po::value<int>(), "the outputs' height");
  add("output", po::value<std::vector<std::string>>(), "an output to compare (positional)");
  add("save-reference", po::value<std::string>(), "write the reference as a PNG file");
  po::positional_options_description outputs;
  outputs.add("output", -1);
  po::variables_map args;
  po::store(po::command_line_parser(argc, argv).options(options).positional(outputs).run(), args);
  po::notify(args);
  const bool complete = args.count("input") != 0 && args.count("width") != 0 &&
                        args.count("height") != 0 &&
                        (args.count("output") != 0 || args.count("save-reference") != 0);
  if (args.count("help") != 0 || !complete) {
    std::cout << "usage: bench-quality --input FILE --width W --height H OUTPUT... [options]\n"
              << options;
    return args.count("help") != 0 ? 0 : 2;
  }
  if (VIPS_INIT(argv[0]) != 0) throw std::runtime_error("vips_init failed");

  const std::string input = args["input"].as<std::string>();
  const int width = args["width"].as<int>();
  const int height = args["height"].as<int>();
  const VImage ideal = reference(input, width, height);
  if (args.count("save-reference") != 0) {
    ideal.rint()
        .cast(VIPS_FORMAT_UCHAR)
        .write_to_file(args["save-reference"].as<std::string>().c_str());
  }
  nlohmann::json report = {{"tool", "bench-quality"},
                           {"input", input},
                           {"width", width},
                           {"height", height},
                           {"outputs", nlohmann::json::array()}};
  if (args.count("output") != 0) {
    for (const std::string& output : args["output"].as<std::vector<std::string>>()) {
      report["outputs"].push_back(compare(ideal, output));
    }
  }
  return image_resize::bench::print_report(report);
}

}  // namespace

int main(int argc, char** argv) {
  return image_resize::bench::tool_main("bench-quality", argc, argv, run);
}
