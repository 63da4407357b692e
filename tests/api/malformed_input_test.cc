// Bad input never crashes, hangs or throws: every file of a corpus of malformed manifests, and
// thousands of deterministic mutations of the bundled examples, go through the whole read →
// validate → convert pipeline. Run under AddressSanitizer + UBSan (the `asan` preset), this is
// the project's parser fuzzing.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "api/convert.h"
#include "api/validate.h"
#include "api/yaml_reader.h"

namespace karpenter::api {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Everything the CLI does with input, short of printing it. Returns the number of errors.
std::size_t RunPipeline(std::string_view text, const std::string& name) {
  ReadResult read = ReadYamlDocuments(text, name);
  std::vector<Diagnostic> diagnostics = ValidateDocuments(read.documents);
  std::vector<Json> objects;
  for (const Document& doc : read.documents) objects.push_back(doc.value);
  ConversionResult converted = ConvertToV1(objects);
  std::size_t errors = read.errors.size() + converted.errors.size();
  for (const Diagnostic& d : diagnostics) errors += d.severity == Severity::kError;
  return errors;
}

TEST(MalformedInput, EveryCorpusFileIsReportedAsAnError) {
  const fs::path corpus = fs::path(KARPENTER_TEST_DATA_DIR) / "malformed";
  int files = 0;
  for (const auto& entry : fs::directory_iterator(corpus)) {
    ++files;
    const std::string text = ReadFile(entry.path());
    std::size_t errors = 0;
    EXPECT_NO_THROW(errors = RunPipeline(text, entry.path().filename().string()))
        << entry.path();
    // A corpus file that is only separators holds no object: nothing to report.
    if (entry.path().filename() != "only-separators.yaml") {
      EXPECT_GT(errors, 0u) << entry.path() << " was accepted";
    }
  }
  EXPECT_GE(files, 19);
}

// Byte-level mutations of valid manifests: replaced, inserted and deleted bytes, truncation and
// duplicated spans. The seed is fixed so a failure reproduces.
std::string Mutate(const std::string& text, std::mt19937& rng) {
  std::string out = text;
  std::uniform_int_distribution<int> kind(0, 4);
  std::uniform_int_distribution<int> byte(0, 255);
  const char* interesting = ":-[]{}&*!|>'\"%@`#,? \n\t0e.";
  std::uniform_int_distribution<std::size_t> pick(0, std::strlen(interesting) - 1);
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < edits && !out.empty(); ++i) {
    std::size_t pos = rng() % out.size();
    char c = rng() % 2 ? static_cast<char>(byte(rng)) : interesting[pick(rng)];
    switch (kind(rng)) {
      case 0: out[pos] = c; break;
      case 1: out.insert(out.begin() + static_cast<std::ptrdiff_t>(pos), c); break;
      case 2: out.erase(pos, 1 + rng() % 8); break;
      case 3: out.resize(pos); break;
      default: out.insert(pos, out.substr(pos, rng() % 64)); break;
    }
  }
  return out;
}

TEST(MalformedInput, MutatedExamplesNeverCrashOrThrow) {
  std::vector<fs::path> seeds;
  for (const auto& entry :
       fs::recursive_directory_iterator(fs::path(KARPENTER_SOURCE_DIR) / "examples")) {
    if (entry.path().extension() == ".yaml") seeds.push_back(entry.path());
  }
  ASSERT_FALSE(seeds.empty());
  std::mt19937 rng(20261123);
  constexpr int kMutationsPerFile = 400;
  for (const fs::path& path : seeds) {
    const std::string original = ReadFile(path);
    for (int i = 0; i < kMutationsPerFile; ++i) {
      const std::string mutated = Mutate(original, rng);
      ASSERT_NO_THROW(RunPipeline(mutated, path.filename().string()))
          << path << " mutation " << i << ":\n" << mutated;
    }
  }
}

}  // namespace
}  // namespace karpenter::api
