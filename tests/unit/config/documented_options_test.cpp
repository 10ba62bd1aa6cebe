// docs/configuration.md is what users read: every option of the table is in it, and it names
// no option that does not exist.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "config/options.h"

namespace image_resize::config {
namespace {

std::string configuration_doc() {
  std::ifstream in(IMAGE_RESIZE_SOURCE_DIR "/docs/configuration.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(DocumentedOptions, EveryOptionHasARowAndEveryRowAnOption) {
  const std::string doc = configuration_doc();
  ASSERT_FALSE(doc.empty());
  std::set<std::string> options;
  for (const Option& option : all_options()) {
    options.insert(option.name);
    EXPECT_NE(doc.find("| `--" + std::string(option.name) + "` |"), std::string::npos)
        << "--" << option.name << " has no row in docs/configuration.md";
  }
  const std::regex row(R"(\n\| `--([a-z0-9-]+)` \|)");
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), row); it != std::sregex_iterator();
       ++it) {
    const std::string name = (*it)[1];
    EXPECT_TRUE(options.count(name) || name == "config") << "--" << name << " is not an option";
  }
}

}  // namespace
}  // namespace image_resize::config
