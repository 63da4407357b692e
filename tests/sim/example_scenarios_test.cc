// Every scenario of examples/scenarios/ replayed as `karpenter replay --check-invariants` does:
// each must pass all its expectations with no invariant violated, and each shows the outcome
// it was written for (the runs are deterministic, so the numbers are exact).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "api/yaml_reader.h"
#include "sim/replay.h"
#include "sim/replay_report.h"
#include "sim/scenario.h"

namespace karpenter::sim {
namespace {

namespace fs = std::filesystem;

const fs::path kExamples = fs::path(KARPENTER_SOURCE_DIR) / "examples" / "scenarios";

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Reads a manifest file, as the CLI does (the examples name files, not directories).
api::ReadResult ReadManifest(const std::string& path) {
  return api::ReadYamlDocuments(ReadText(path), path);
}

// The report of examples/scenarios/<file>, replayed once per test program (the 48-hour one
// takes a while under the sanitizers).
const ReplayReport& ReportOf(const std::string& file) {
  static std::map<std::string, ReplayReport> reports;
  if (auto it = reports.find(file); it != reports.end()) return it->second;
  const fs::path path = kExamples / file;
  LoadedScenario loaded = ParseScenario(ReadText(path), path.string(), ReadManifest);
  for (const api::Diagnostic& d : loaded.diagnostics) {
    EXPECT_NE(d.severity, api::Severity::kError) << d.ToString();
  }
  ReplayOptions options;
  options.check_invariants = true;
  ReplayReport report;
  if (loaded.scenario) {
    auto run = RunScenario(*loaded.scenario, options);
    EXPECT_TRUE(run.has_value()) << file << ": " << run.error().message;
    if (run) report = std::move(*run);
  } else {
    ADD_FAILURE() << file << " has errors";
  }
  return reports.emplace(file, std::move(report)).first->second;
}

std::vector<std::string> ExampleFiles() {
  std::vector<std::string> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(kExamples)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      files.push_back(entry.path().filename().string());
    }
  }
  std::ranges::sort(files);
  return files;
}

// The events of `kind` whose message contains `text`, as "time message".
std::vector<std::string> Events(const ReplayReport& report, const std::string& kind,
                                const std::string& text = "") {
  std::vector<std::string> out;
  for (const ReplayEvent& event : report.events) {
    if (event.kind == kind && event.message.find(text) != std::string::npos) {
      out.push_back(FormatOffset(event.at) + " " + event.message);
    }
  }
  return out;
}

double Hours(core::Duration offset) {
  return std::chrono::duration<double, std::ratio<3600>>(offset).count();
}

const TimelineSample& SampleAt(const ReplayReport& report, core::Duration at) {
  for (const TimelineSample& sample : report.timeline) {
    if (sample.at == at) return sample;
  }
  ADD_FAILURE() << "no sample at " << FormatOffset(at);
  return report.timeline.front();
}

TEST(ExampleScenariosTest, EveryExamplePassesWithNoInvariantViolated) {
  const std::vector<std::string> files = ExampleFiles();
  EXPECT_EQ(files, (std::vector<std::string>{"inflate.yaml", "nightly-window.yaml",
                                             "over-provisioning-off.yaml", "over-provisioning.yaml",
                                             "spot-interruption-storm.yaml"}));
  for (const std::string& file : files) {
    const ReplayReport& report = ReportOf(file);
    EXPECT_TRUE(report.Passed()) << file;
    EXPECT_FALSE(report.error.has_value()) << file;
    EXPECT_EQ(report.summary.errors, 0u) << file;
    EXPECT_TRUE(report.violations.empty()) << file;
    EXPECT_GT(report.expectations.size(), 0u) << file;
    for (const ExpectationOutcome& outcome : report.expectations) {
      EXPECT_TRUE(outcome.passed) << file << " " << outcome.source << ": " << outcome.check
                                  << ", actual " << outcome.actual;
    }
  }
}

TEST(ExampleScenariosTest, NightlyWindowDisruptsOnlyInTheWindowAndExpiresRegardless) {
  const ReplayReport& report = ReportOf("nightly-window.yaml");
  EXPECT_EQ(Events(report, "disruption"),
            (std::vector<std::string>{
                "19h00m25s emptiness (Empty): node-i-00000000000000002, saving $0.3672/hour",
                "24h00m05s expiration (Expired): node-i-00000000000000001",
                "43h00m20s emptiness (Empty): node-i-00000000000000004, saving $0.3672/hour"}));
  // Every budgeted disruption falls between 19:00 and 23:00 of its day (the scenario starts
  // at midnight UTC); the expiry does not.
  for (const ReplayEvent& event : report.events) {
    if (event.kind != "disruption" || event.message.starts_with("expiration")) continue;
    const double hour_of_day = std::fmod(Hours(event.at), 24.0);
    EXPECT_GE(hour_of_day, 19.0) << event.message;
    EXPECT_LT(hour_of_day, 23.0) << event.message;
  }
  // The empty node stays through the blocked hours after 17:00, then the cost falls.
  using std::chrono::hours, std::chrono::minutes;
  EXPECT_EQ(SampleAt(report, hours(18) + minutes(45)).nodes, 2);
  EXPECT_NEAR(SampleAt(report, hours(18) + minutes(45)).cost_per_hour, 0.3901, 1e-4);
  EXPECT_EQ(SampleAt(report, hours(19) + minutes(15)).nodes, 1);
  EXPECT_NEAR(SampleAt(report, hours(19) + minutes(15)).cost_per_hour, 0.0229, 1e-4);
  const ReplaySummary& s = report.summary;
  EXPECT_EQ(s.disruptions,
            (std::map<std::string, size_t>{{"emptiness/Empty", 2}, {"expiration/Expired", 1}}));
  EXPECT_EQ(s.evictions, 2u);  // the expired node's two pods
  EXPECT_EQ(s.nodes_launched, 4u);
  EXPECT_NEAR(s.total_cost, 9.9227, 1e-4);
  EXPECT_EQ(s.pods_by_deployment.at("default/web").started, 40u);
}

TEST(ExampleScenariosTest, OverProvisioningStartsRealPodsAtOnce) {
  const ReplayReport& on = ReportOf("over-provisioning.yaml");
  const ReplayReport& off = ReportOf("over-provisioning-off.yaml");
  const PendingStats& app_on = on.summary.pods_by_deployment.at("default/app");
  const PendingStats& app_off = off.summary.pods_by_deployment.at("default/app");
  EXPECT_EQ(app_on.started, 9u);
  EXPECT_EQ(app_on.max_seconds, 0.0);  // every burst found the pause pods' room
  EXPECT_EQ(app_off.started, 9u);
  EXPECT_EQ(app_off.p50_seconds, 36.0);  // every burst waited for a node
  EXPECT_EQ(app_off.p99_seconds, 36.0);
  // The pause pods took the wait instead: preempted, then pending until their new node.
  const PendingStats& pause = on.summary.pods_by_deployment.at("default/pause-pods");
  EXPECT_EQ(pause.started, 6u);
  EXPECT_EQ(pause.p99_seconds, 36.0);
  EXPECT_EQ(on.summary.preemptions, 3u);
  EXPECT_EQ(off.summary.preemptions, 0u);
  EXPECT_FALSE(off.summary.pods_by_deployment.contains("default/pause-pods"));
  EXPECT_EQ(
      Events(on, "pods", "preempted"),
      (std::vector<std::string>{"5m00s 2 pods of ReplicaSet default/pause-pods-sim preempted",
                                "15m00s 1 pod of ReplicaSet default/pause-pods-sim preempted"}));
  // The headroom costs: one node-hour more for the 40 minutes' run.
  EXPECT_NEAR(on.summary.total_cost, 0.0233, 1e-4);
  EXPECT_NEAR(off.summary.total_cost, 0.0175, 1e-4);
}

TEST(ExampleScenariosTest, SpotInterruptionStormReplacesEveryNodeOnAnotherOffering) {
  const ReplayReport& report = ReportOf("spot-interruption-storm.yaml");
  const ReplaySummary& s = report.summary;
  EXPECT_EQ(s.interruptions, 14u);
  EXPECT_EQ(s.evictions, 14u);       // every pod was evicted (PDB permitting) before the reclaim
  EXPECT_EQ(s.nodes_launched, 34u);  // 20, then 14 replacements
  EXPECT_EQ(s.pods_by_deployment.at("default/api").started, 34u);
  EXPECT_EQ(s.pods_by_deployment.at("default/api").still_pending, 0u);
  // The 20 first nodes all took the cheapest offering; once it was interrupted it was
  // unavailable, and every replacement went to the other zone.
  const auto launches = Events(report, "nodeclaim", "launched:");
  ASSERT_EQ(launches.size(), 34u);
  for (size_t i = 0; i < launches.size(); ++i) {
    const bool replacement = i >= 20;
    EXPECT_NE(launches[i].find(replacement ? "spot c6a.large in us-east-1b"
                                           : "spot c6a.large in us-east-1a"),
              std::string::npos)
        << launches[i];
  }
  // The PodDisruptionBudget (maxUnavailable 3) paced the drain: three evictions at a time.
  EXPECT_EQ(Events(report, "pods", "evicted"),
            (std::vector<std::string>{"10m00s 3 pods of ReplicaSet default/api-sim evicted",
                                      "10m37s 3 pods of ReplicaSet default/api-sim evicted",
                                      "11m14s 2 pods of ReplicaSet default/api-sim evicted",
                                      "13m00s 3 pods of ReplicaSet default/api-sim evicted",
                                      "13m37s 3 pods of ReplicaSet default/api-sim evicted"}));
  const TimelineSample& last = report.timeline.back();
  EXPECT_EQ(last.nodes, 20);
  EXPECT_EQ(last.running_pods, 20);
  EXPECT_EQ(last.nodes_by_capacity_type, (std::map<std::string, int>{{"spot", 20}}));
}

}  // namespace
}  // namespace karpenter::sim
