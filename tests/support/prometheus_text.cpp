#include "support/prometheus_text.h"

#include <regex>
#include <sstream>

namespace image_resize::testing {

double Exposition::value(const std::string& series) const {
  auto found = samples.find(series);
  return found == samples.end() ? 0.0 : found->second;
}

Exposition parse_exposition(const std::string& text) {
  static const std::regex kHelp(R"(# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*)");
  static const std::regex kType(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram))");
  static const std::regex kSample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? ([-+]?[0-9.]+([eE][-+]?[0-9]+)?|[-+]Inf|NaN))");
  Exposition exposition;
  std::string declared;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch match;
    if (std::regex_match(line, kHelp)) continue;
    if (std::regex_match(line, match, kType)) {
      declared = match[1];
      continue;
    }
    if (!std::regex_match(line, match, kSample)) {
      exposition.errors.push_back("malformed line: " + line);
      continue;
    }
    if (declared.empty() || !match[1].str().starts_with(declared)) {
      exposition.errors.push_back("sample outside its declared family: " + line);
    }
    const auto space = line.rfind(' ');
    exposition.samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return exposition;
}

}  // namespace image_resize::testing
