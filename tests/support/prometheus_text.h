#pragma once
// A strict reader of the Prometheus text exposition format (0.0.4), for tests: every line is a
// HELP, a TYPE, or `name{labels} value`, and every sample belongs to the family declared by the
// TYPE line above it. Malformed lines are reported, not skipped silently.

#include <map>
#include <string>
#include <vector>

namespace image_resize::testing {

struct Exposition {
  // `name{label="value",...}` exactly as written, → value.
  std::map<std::string, double> samples;
  std::vector<std::string> errors;  // one per malformed line

  // The sample, or 0 when absent (a counter not yet incremented).
  double value(const std::string& series) const;
};

Exposition parse_exposition(const std::string& text);

}  // namespace image_resize::testing
