// `karpenter replay`: the table (golden), the JSON contract, the HTML report, exit codes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "api/json.h"
#include "cli_test_util.h"

namespace karpenter::cli {
namespace {

using namespace test_util;  // NOLINT(google-build-using-namespace): test helpers
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The output with the test data directory replaced by "testdata", so the golden file does not
// depend on where the repository is.
std::string Portable(std::string text) {
  const std::string dir = TestData("");
  for (size_t at = text.find(dir); at != std::string::npos; at = text.find(dir, at)) {
    text.replace(at, dir.size(), "testdata/");
  }
  return text;
}

TEST(ReplayCliTest, TableMatchesTheGoldenFile) {
  CliRun run = Karpenter({"replay", TestData("replay/scale.yaml")});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(Portable(run.out), ReadFile(TestData("replay/scale-table.txt")));
}

TEST(ReplayCliTest, JsonIsTheDocumentedContract) {
  CliRun run =
      Karpenter({"replay", TestData("replay/scale.yaml"), "-o", "json", "--check-invariants"});
  ASSERT_EQ(run.code, 0) << run.err;
  const api::Json json = api::Json::parse(run.out);
  EXPECT_EQ(json["apiVersion"], "sim.karpenter-cpp.io/v1alpha1");
  EXPECT_EQ(json["kind"], "ReplayReport");
  EXPECT_EQ(json["scenario"], "scale");
  EXPECT_EQ(json["durationSeconds"], 480);
  EXPECT_EQ(json["passed"], true);
  EXPECT_EQ(json["timeline"].size(), 9u);  // 0m .. 8m
  EXPECT_EQ(json["timeline"][2]["nodes"], 1);
  EXPECT_EQ(json["timeline"][2]["nodesByInstanceType"], api::Json({{"c.xlarge", 1}}));
  EXPECT_EQ(json["summary"]["nodeClaimsCreated"], 1);
  EXPECT_EQ(json["summary"]["pods"]["started"], 5);
  EXPECT_EQ(json["summary"]["pods"]["pendingSeconds"]["p99"], 36);
  EXPECT_EQ(json["summary"]["expectations"], api::Json({{"passed", 3}, {"failed", 0}}));
  EXPECT_EQ(json["summary"]["invariantViolations"], 0);
  EXPECT_EQ(json["invariantViolations"], api::Json::array());
  std::vector<std::string> keys;
  for (const auto& [key, value] : json.items()) keys.push_back(key);
  EXPECT_THAT(keys, ::testing::ElementsAre("apiVersion", "kind", "scenario", "file", "start",
                                           "durationSeconds", "sampleEverySeconds", "passed",
                                           "error", "summary", "timeline", "events", "expectations",
                                           "invariantViolations"));
}

TEST(ReplayCliTest, HtmlReportIsSelfContained) {
  const std::string path = TempFile("report.html", "");
  CliRun run = Karpenter({"replay", TestData("replay/scale.yaml"), "--report", path});
  ASSERT_EQ(run.code, 0) << run.err;
  const std::string html = ReadFile(path);
  EXPECT_THAT(html, StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr("<h2>Nodes by capacity type</h2>"));
  EXPECT_THAT(html, HasSubstr("<polygon points="));
  EXPECT_THAT(html, HasSubstr("scale Deployment default/inflate to 5 replicas"));
  EXPECT_THAT(html, ::testing::Not(HasSubstr("<script")));
  EXPECT_THAT(html, ::testing::Not(HasSubstr("http")));
}

TEST(ReplayCliTest, AFailedExpectationExitsOne) {
  CliRun run = Karpenter({"replay", TestData("replay/failing.yaml")});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.out, HasSubstr("FAILED: nodes = 2, actual 0 ("));
  EXPECT_THAT(run.out, HasSubstr("  result                 FAILED\n"));
}

TEST(ReplayCliTest, ScenarioErrorsNameFileAndLineAndNothingRuns) {
  CliRun run = Karpenter({"replay", TestData("replay/bad.yaml")});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(
      Portable(run.err),
      "testdata/replay/bad.yaml:10:5: error: Scenario/bad: spec.steps[0].scale: replicas "
      "is required\n"
      "testdata/replay/bad.yaml:12:13: error: Scenario/bad: spec.steps[1].fault.meteorStrike: "
      "unknown field \"meteorStrike\" (expected one of: insufficientCapacity, "
      "launchFailure, neverRegister, slowRegistration, interrupt)\n"
      "the scenario has errors: nothing was run\n");
}

TEST(ReplayCliTest, UsageErrors) {
  EXPECT_EQ(Karpenter({"replay"}).code, 2);
  EXPECT_EQ(Karpenter({"replay", TestData("replay/scale.yaml"), "-o", "yaml"}).code, 2);
  CliRun missing = Karpenter({"replay", TestData("replay/nope.yaml")});
  EXPECT_EQ(missing.code, 1);
  EXPECT_THAT(missing.err, HasSubstr("nope.yaml: error: no such file"));
}

}  // namespace
}  // namespace karpenter::cli
