// bench-workload: writes the benchmark's input images, the same bytes for the same seed.
//
//   bench-workload --out DIR [--seed N] [--only NAME]...
//
// Prints one line per file: name, size, bytes and an FNV-1a hash (to check determinism).

#include <algorithm>
#include <array>
#include <boost/program_options.hpp>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "synthetic_photo.h"
#include "tool_main.h"

namespace po = boost::program_options;
using image_resize::bench::PhotoFormat;
using image_resize::bench::PhotoSpec;

namespace {

struct Input {
  const char* name;
  PhotoSpec spec;
};

// The inputs: JPEG at three sizes, PNG with alpha, WebP.
constexpr std::array<Input, 5> kInputs = {{
    {"jpeg_640x480.jpg", {.width = 640, .height = 480}},
    {"jpeg_1920x1080.jpg", {.width = 1920, .height = 1080}},
    {"jpeg_4000x3000.jpg", {.width = 4000, .height = 3000}},
    {"png_alpha_1920x1080.png",
     {.width = 1920, .height = 1080, .format = PhotoFormat::png, .alpha = true}},
    {"webp_1920x1080.webp", {.width = 1920, .height = 1080, .format = PhotoFormat::webp}},
}};

std::uint64_t fnv1a(const std::string& bytes) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

int run(int argc, char** argv) {
  po::options_description options("Options");
  auto add = options.add_options();
  add("help,h", "show this help");
  add("out", po::value<std::string>(), "directory to write the images to (created)");
  add("seed", po::value<std::uint32_t>()->default_value(1), "seed of the procedural content");
  add("only", po::value<std::vector<std::string>>(), "write only this file (repeatable)");
  po::variables_map args;
  po::store(po::parse_command_line(argc, argv, options), args);
  po::notify(args);
  if (args.count("help") != 0 || args.count("out") == 0) {
    std::cout << "usage: bench-workload --out DIR [options]\n" << options << "\nfiles:";
    for (const Input& input : kInputs) std::cout << " " << input.name;
    std::cout << "\n";
    return args.count("help") != 0 ? 0 : 2;
  }
  const std::filesystem::path out = args["out"].as<std::string>();
  std::filesystem::create_directories(out);
  const auto only = args.count("only") != 0 ? args["only"].as<std::vector<std::string>>()
                                            : std::vector<std::string>{};
  int written = 0;
  for (const Input& input : kInputs) {
    if (!only.empty() && std::find(only.begin(), only.end(), input.name) == only.end()) continue;
    PhotoSpec spec = input.spec;
    spec.seed = args["seed"].as<std::uint32_t>();
    const std::string bytes = image_resize::bench::synthetic_photo(spec);
    std::ofstream file(out / input.name, std::ios::binary);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!file) {
      std::cerr << "bench-workload: cannot write " << (out / input.name).string() << "\n";
      return 1;
    }
    std::printf("%-26s %5dx%-5d %9zu bytes  fnv1a %016llx\n", input.name, spec.width, spec.height,
                bytes.size(), static_cast<unsigned long long>(fnv1a(bytes)));
    ++written;
  }
  if (written == 0) {
    std::cerr << "bench-workload: no file matches --only\n";
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return image_resize::bench::tool_main("bench-workload", argc, argv, run);
}
