// Feeds every file of one fuzz target's committed corpus (FUZZ_CORPUS_DIR) to the target's
// LLVMFuzzerTestOneInput; FUZZ_REPLAY_SUITE names the suite after the target. An input that
// breaks one of the target's invariants aborts the test after naming itself on stderr, as it
// would abort libFuzzer.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_support.h"

namespace {

namespace fs = std::filesystem;

// Every target's corpus starts with a few dozen hand-made seeds (fuzz/make_seeds.py).
constexpr std::size_t kMinCorpusFiles = 20;

std::vector<fs::path> corpus_files() {
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(FUZZ_CORPUS_DIR)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(FUZZ_REPLAY_SUITE, CorpusHasTheSeeds) {
  EXPECT_GE(corpus_files().size(), kMinCorpusFiles) << FUZZ_CORPUS_DIR;
}

TEST(FUZZ_REPLAY_SUITE, EveryCorpusInputKeepsTheInvariants) {
  for (const fs::path& file : corpus_files()) {
    const std::string data = read_bytes(file);
    std::fprintf(stderr, "replaying %s (%zu bytes)\n", file.filename().c_str(), data.size());
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(data.data());
    EXPECT_EQ(LLVMFuzzerTestOneInput(bytes, data.size()), 0) << file;
  }
}

}  // namespace
