#pragma once
// What every bench tool's main does the same way: one JSON report line on stdout, and an
// exception turned into a message on stderr and exit code 2 (usage, unreadable input, libvips).

#include <exception>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace image_resize::bench {

// Prints `report` as one line; the exit code: 0 when no task failed (warm-up included), else 1.
inline int print_report(const nlohmann::json& report) {
  std::cout << report.dump() << std::endl;
  return report.value("errors", 0) == 0 && report.value("warmup_errors", 0) == 0 ? 0 : 1;
}

// Writes `lines` to `path`, one a line (task ids for another tool); throws when it cannot.
inline void write_lines(const std::string& path, const std::vector<std::string>& lines) {
  std::ofstream out(path);
  for (const std::string& line : lines) out << line << '\n';
  if (!out) throw std::runtime_error("cannot write " + path);
}

inline int tool_main(const char* tool, int argc, char** argv, int (*run)(int, char**)) {
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {  // vips::VError is one too
    std::cerr << tool << ": " << error.what() << "\n";
    return 2;
  }
}

}  // namespace image_resize::bench
