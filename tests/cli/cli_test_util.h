// Helpers the CLI tests share: run `karpenter` in process, find files of the repository, and
// write per-test temporary inputs.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.h"

namespace karpenter::cli::test_util {

struct CliRun {
  int code;
  std::string out;
  std::string err;
};

// Runs `karpenter <args>` in this process and captures its exit code and streams.
inline CliRun Karpenter(std::vector<std::string> args) {
  args.insert(args.begin(), "karpenter");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  const int code = RunApp(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

// A path of the source tree, e.g. Source("examples/simulate").
inline std::string Source(const std::string& relative) {
  return (std::filesystem::path(KARPENTER_SOURCE_DIR) / relative).string();
}

// A path under tests/cli/testdata.
inline std::string TestData(const std::string& relative) {
  return (std::filesystem::path(KARPENTER_TEST_DATA_DIR) / relative).string();
}

// Writes `content` to a file in a directory of the running test's own (tests may run in
// parallel processes) and returns its path.
inline std::string TempFile(const std::string& name, const std::string& content) {
  const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "karpenter-cli-test" /
                                    (std::string(test->test_suite_name()) + "." + test->name());
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream(path) << content;
  return path;
}

}  // namespace karpenter::cli::test_util
