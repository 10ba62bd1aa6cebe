// resize-cli: runs VipsImageProcessor on one file, with no HTTP, queue or store in between
// (like weserv's src/tools/cli.cpp). Useful to try options and to reproduce a failed task.
//
//   resize-cli IN OUT [--width N] [--height N] [--fit fill|inside|cover|contain]
//              [--format same|jpeg|png|webp|avif|gif|tiff] [--quality Q] [--background #rrggbb[aa]]

#include <boost/program_options.hpp>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "core/limits.h"
#include "core/resize_spec.h"
#include "imaging/vips_image_processor.h"
#include "resize_options.h"

namespace po = boost::program_options;
using namespace image_resize;

namespace {

int fail(const std::string& message) {
  std::cerr << "resize-cli: " << message << "\n";
  return 2;
}

bool read_file(const std::string& path, std::string& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  bytes = buffer.str();
  return true;
}

int run(int argc, char** argv) {
  po::options_description options("Options");
  auto add = options.add_options();
  add("help,h", "show this help");
  tools::add_resize_options(options);
  add("input", po::value<std::string>(), "input file");
  add("output", po::value<std::string>(), "output file");
  po::positional_options_description positional;
  positional.add("input", 1).add("output", 1);

  po::variables_map args;
  try {
    po::store(po::command_line_parser(argc, argv).options(options).positional(positional).run(),
              args);
    po::notify(args);
  } catch (const po::error& error) {
    return fail(error.what());
  }
  if (args.count("help") != 0 || args.count("input") == 0 || args.count("output") == 0) {
    std::cout << "usage: resize-cli IN OUT [options]\n" << options;
    return args.count("help") != 0 ? 0 : 2;
  }

  core::ResizeSpec spec;
  try {
    spec = tools::resize_spec_from(args);
  } catch (const std::invalid_argument& error) {
    return fail(error.what());
  }

  std::string input;
  if (!read_file(args["input"].as<std::string>(), input)) {
    return fail("cannot read " + args["input"].as<std::string>());
  }
  imaging::VipsImageProcessor processor;
  const core::Limits limits;
  auto result = processor.resize(input, spec, limits);
  if (!result.ok()) {
    const core::Error& error = result.error();
    std::cerr << "resize-cli: " << core::to_string(error.code) << ": " << error.public_message
              << "\n";
    if (!error.internal_message.empty())
      std::cerr << "  detail: " << error.internal_message << "\n";
    return 1;
  }
  std::ofstream out(args["output"].as<std::string>(), std::ios::binary);
  out.write(result->bytes.data(), static_cast<std::streamsize>(result->bytes.size()));
  if (!out) return fail("cannot write " + args["output"].as<std::string>());
  std::cout << result->width << "x" << result->height << " " << core::to_string(result->format)
            << " " << result->bytes.size() << " bytes\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {  // e.g. std::bad_alloc, or a stream failure
    return fail(error.what());
  }
}
