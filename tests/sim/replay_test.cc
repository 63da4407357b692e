// Whole scenarios run through the controllers: the events, timeline, summary and checks.
#include "sim/replay.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "replay_test_util.h"

namespace karpenter::sim {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): test helpers
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Every scenario of these tests runs with the invariant checker on, and none may be violated.
ReplayReport Replay(const std::string& text) {
  const Scenario scenario = MustParse(text);
  ReplayOptions options;
  options.check_invariants = true;
  auto report = RunScenario(scenario, options);
  EXPECT_TRUE(report.has_value()) << (report ? "" : report.error().message);
  if (!report) return ReplayReport{};
  for (const InvariantViolation& violation : report->violations) {
    ADD_FAILURE() << "invariant violated: " << violation.invariant << ": " << violation.message;
  }
  return std::move(*report);
}

std::string ScenarioYaml(const std::string& duration, const std::string& steps) {
  return "apiVersion: sim.karpenter-cpp.io/v1alpha1\nkind: Scenario\nmetadata: {name: t}\n"
         "spec:\n  duration: " +
         duration + "\n  steps:\n" + steps + kCatalogAndPool + DeploymentYaml(0);
}

std::vector<std::string> Events(const ReplayReport& report, const std::string& kind = "") {
  std::vector<std::string> events;
  for (const ReplayEvent& e : report.events) {
    if (kind.empty() || e.kind == kind) events.push_back(FormatOffset(e.at) + " " + e.message);
  }
  return events;
}

TEST(ReplayTest, ScaleUpLaunchesANodeAndScaleDownEmptiesAndRemovesIt) {
  const ReplayReport report =
      Replay(ScenarioYaml("6m", R"(  - {at: 1m, scale: {deployment: web, replicas: 5}}
  - {at: 3m, expect: {nodes: 1, readyNodes: 1, pendingPods: 0, runningPods: 5, costPerHour: 0.12}}
  - {at: 4m, scale: {deployment: web, replicas: 0}}
  - {at: 4m, expect: {pods: 0, evictions: 0}}
  - {at: 6m, expect: {nodes: 0, nodeClaims: 0, instances: 0, costPerHour: 0}}
)"));
  EXPECT_TRUE(report.Passed()) << ::testing::PrintToString(Events(report));
  EXPECT_FALSE(report.error.has_value());
  EXPECT_THAT(
      Events(report, "step"),
      ElementsAre("0s create the initial objects (4)",
                  "1m00s scale Deployment default/web to 5 replicas (dir/scenario.yaml:7)",
                  "4m00s scale Deployment default/web to 0 replicas (dir/scenario.yaml:9)"));
  std::vector<std::string> claims = Events(report, "nodeclaim");
  ASSERT_EQ(claims.size(), 6u) << ::testing::PrintToString(Events(report));
  EXPECT_THAT(claims[0], ::testing::MatchesRegex(
                             "1m01s NodeClaim default-.* created \\(NodePool default; requests "
                             "\\{cpu: 5, pods: 5\\}\\)"));
  EXPECT_THAT(claims[1], HasSubstr("launched: spot c.xlarge in zone-a ($0.1200/hour)"));
  EXPECT_THAT(claims[2], ::testing::StartsWith("1m31s NodeClaim default-"));
  EXPECT_THAT(claims[2], HasSubstr(" registered as Node node-i-00000000000000001"));
  EXPECT_THAT(claims[3], ::testing::StartsWith("1m36s "));
  EXPECT_THAT(claims[3], ::testing::EndsWith(" initialized"));
  // Empty from 4m: consolidateAfter 30s, the next 10 s pass at 4m30s, 15 s of validation.
  EXPECT_THAT(claims[4], ::testing::StartsWith("4m45s "));
  EXPECT_THAT(claims[4], ::testing::EndsWith(" deleting"));
  // The instance shuts down for 30 s before the NodeClaim goes.
  EXPECT_THAT(claims[5], ::testing::StartsWith("5m15s "));
  EXPECT_THAT(claims[5], ::testing::EndsWith(" deleted"));
  EXPECT_THAT(Events(report, "disruption"),
              ElementsAre("4m45s emptiness (Empty): node-i-00000000000000001, saving "
                          "$0.1200/hour"));
  EXPECT_THAT(Events(report, "node"), ElementsAre("4m45s Node node-i-00000000000000001 deleted"));
  EXPECT_THAT(Events(report, "pods"),
              ElementsAre("1m00s 5 pods of ReplicaSet default/web-sim created (pending)",
                          "1m36s 5 pods of ReplicaSet default/web-sim running",
                          "4m00s 5 pods of ReplicaSet default/web-sim deleted"));
  ASSERT_EQ(report.expectations.size(), 11u);
  for (const ExpectationOutcome& e : report.expectations) EXPECT_TRUE(e.passed) << e.check;

  // Samples every minute, 0 to 6m.
  ASSERT_EQ(report.timeline.size(), 7u);
  const TimelineSample& at2m = report.timeline[2];
  EXPECT_EQ(at2m.at, std::chrono::minutes(2));
  EXPECT_EQ(at2m.nodes, 1);
  EXPECT_EQ(at2m.nodes_by_capacity_type, (std::map<std::string, int>{{"spot", 1}}));
  EXPECT_EQ(at2m.nodes_by_instance_type, (std::map<std::string, int>{{"c.xlarge", 1}}));
  EXPECT_EQ(at2m.running_pods, 5);
  EXPECT_DOUBLE_EQ(at2m.cost_per_hour, 0.12);
  EXPECT_EQ(report.timeline[6].nodes, 0);

  const ReplaySummary& s = report.summary;
  EXPECT_EQ(s.nodes_launched, 1u);
  EXPECT_EQ(s.instances_launched, 1u);
  EXPECT_EQ(s.pending.started, 5u);
  EXPECT_EQ(s.pending.still_pending, 0u);
  EXPECT_EQ(s.pending.p50_seconds, 36.0);
  EXPECT_EQ(s.pending.p99_seconds, 36.0);
  EXPECT_EQ(s.disruptions, (std::map<std::string, size_t>{{"emptiness/Empty", 1}}));
  EXPECT_EQ(s.disruptions_abandoned, 0u);
  EXPECT_EQ(s.expectations_passed, 11u);
  EXPECT_EQ(s.invariant_violations, 0u);
  // The node lives from 1m31s to 4m45s.
  EXPECT_NEAR(s.node_hours, 194.0 / 3600, 1e-9);
  // The instance from its launch at 1m01s to its termination at 5m15s, at $0.12/hour.
  EXPECT_NEAR(s.total_cost, 0.12 * 254 / 3600, 1e-9);
}

TEST(ReplayTest, FailedExpectationsAreReportedWithTheirActualValue) {
  const ReplayReport report =
      Replay(ScenarioYaml("2m", R"(  - {at: 2m, expect: {nodes: 3, pods: {max: 0}}}
)"));
  EXPECT_FALSE(report.Passed());
  EXPECT_EQ(report.summary.expectations_failed, 1u);
  EXPECT_EQ(report.summary.expectations_passed, 1u);
  EXPECT_THAT(Events(report, "expect"),
              ElementsAre("2m00s FAILED: nodes = 3, actual 0 (dir/scenario.yaml:7)",
                          "2m00s ok: pods <= 0"));
}

TEST(ReplayTest, InsufficientCapacityMovesTheLaunchToTheNextOffering) {
  const ReplayReport report = Replay(ScenarioYaml("3m",
                                                  R"(  - at: 0s
    fault: {insufficientCapacity: {instanceType: c.xlarge, zone: zone-a, capacityType: spot}}
  - {at: 1m, scale: {deployment: web, replicas: 5}}
  - {at: 3m, expect: {nodes: 1, runningPods: 5}}
)"));
  EXPECT_TRUE(report.Passed());
  EXPECT_THAT(Events(report, "fault"),
              ElementsAre("0s insufficient capacity for spot c.xlarge in zone-a "
                          "(dir/scenario.yaml:7)"));
  // The only spot option fails: the NodeClaim is deleted at once, c.xlarge spot is marked
  // unavailable, and the next pass launches on-demand.
  std::vector<std::string> claims = Events(report, "nodeclaim");
  ASSERT_EQ(claims.size(), 7u) << ::testing::PrintToString(Events(report));
  EXPECT_THAT(claims[0], ::testing::StartsWith("1m01s "));
  EXPECT_THAT(claims[1], ::testing::StartsWith("1m01s "));
  EXPECT_THAT(claims[1], ::testing::EndsWith(" deleting"));
  EXPECT_THAT(claims[3], ::testing::StartsWith("1m02s "));
  EXPECT_THAT(claims[4],
              ::testing::MatchesRegex("1m02s NodeClaim .* launched: on-demand c.xlarge in zone-a "
                                      "\\(\\$0.4000/hour\\)"));
  EXPECT_EQ(report.summary.nodes_launched, 2u);
  EXPECT_EQ(report.summary.instances_launched, 1u);
}

TEST(ReplayTest, ANodeThatNeverRegistersIsReplacedAfterTheRegistrationTimeout) {
  const ReplayReport report =
      Replay(ScenarioYaml("20m", R"(  - {at: 0s, fault: {neverRegister: {count: 1}}}
  - {at: 1m, scale: {deployment: web, replicas: 1}}
  - {at: 10m, expect: {nodes: 0, pendingPods: 1, instances: 1}}
  - {at: 20m, expect: {nodes: 1, pendingPods: 0, nodeClaims: 1, instances: 1}}
)"));
  EXPECT_TRUE(report.Passed()) << ::testing::PrintToString(Events(report));
  EXPECT_EQ(report.summary.instances_launched, 2u);
  EXPECT_EQ(report.summary.nodes_launched, 2u);
  // Created at 1m01s, deleted 15 minutes later.
  EXPECT_THAT(Events(report, "nodeclaim"),
              ::testing::Contains(::testing::MatchesRegex("16m01s NodeClaim default-.* deleting")));
}

TEST(ReplayTest, LaunchFailuresAreRetried) {
  const ReplayReport report = Replay(
      ScenarioYaml("3m", R"(  - {at: 0s, fault: {launchFailure: {count: 2, message: "api down"}}}
  - {at: 1m, scale: {deployment: web, replicas: 1}}
  - {at: 3m, expect: {runningPods: 1}}
)"));
  EXPECT_TRUE(report.Passed());
  EXPECT_THAT(Events(report, "nodeclaim"),
              ::testing::Contains(::testing::HasSubstr("launch failed: api down")));
}

TEST(ReplayTest, AnInterruptedSpotNodeIsDrainedAndReplacedOffTheReclaimedOffering) {
  const ReplayReport report =
      Replay(ScenarioYaml("6m", R"(  - {at: 1m, scale: {deployment: web, replicas: 1}}
  - {at: 3m, fault: {interrupt: {nodes: 5}}}
  - {at: 6m, expect: {instances: 1, runningPods: 1}}
)"));
  EXPECT_TRUE(report.Passed()) << ::testing::PrintToString(Events(report));
  EXPECT_EQ(report.summary.interruptions, 1u);
  EXPECT_EQ(report.summary.evictions, 1u);
  std::vector<std::string> faults = Events(report, "fault");
  ASSERT_EQ(faults.size(), 3u);
  EXPECT_EQ(faults[0], "3m00s interrupt 5 spot instance(s) (dir/scenario.yaml:8)");
  EXPECT_EQ(faults[1], "3m00s only 1 live spot instance(s) to interrupt");
  EXPECT_EQ(faults[2],
            "3m00s interruption warning for aws:///zone-a/i-00000000000000001: reclaimed in 2 "
            "minutes");
  // The interruption controller drains the node at once; the pod comes back pending and gets a
  // new node, not on c.large spot in zone-a, which is marked unavailable.
  std::vector<std::string> claims = Events(report, "nodeclaim");
  ASSERT_EQ(claims.size(), 10u) << ::testing::PrintToString(Events(report));
  EXPECT_THAT(claims[1], HasSubstr("launched: spot c.large in zone-a ($0.0600/hour)"));
  EXPECT_THAT(claims[4], ::testing::StartsWith("3m00s "));
  EXPECT_THAT(claims[4], ::testing::EndsWith(" deleting"));
  EXPECT_THAT(claims[5], ::testing::StartsWith("3m01s "));
  EXPECT_THAT(claims[6], HasSubstr("launched: spot c.xlarge in zone-a ($0.1200/hour)"));
  EXPECT_THAT(Events(report, "pods"),
              ElementsAre("1m00s 1 pod of ReplicaSet default/web-sim created (pending)",
                          "1m36s 1 pod of ReplicaSet default/web-sim running",
                          "3m00s 1 pod of ReplicaSet default/web-sim evicted",
                          "3m00s 1 pod of ReplicaSet default/web-sim created (pending)",
                          "3m36s 1 pod of ReplicaSet default/web-sim running"));
}

TEST(ReplayTest, StepsThatCannotBeCarriedOutAreErrors) {
  const ReplayReport report =
      Replay(ScenarioYaml("2m", R"(  - {at: 1m, scale: {deployment: nope, replicas: 1}}
  - {at: 1m, delete: [{kind: Pod, name: ghost}]}
)"));
  EXPECT_FALSE(report.Passed());
  EXPECT_EQ(report.summary.errors, 2u);
  EXPECT_THAT(Events(report, "error"),
              ElementsAre("1m00s Deployment/default/nope not found",
                          "1m00s Pod/default/ghost: Pod \"default/ghost\" not found"));
}

TEST(ReplayTest, OutputsCarryTheSameReport) {
  const ReplayReport report =
      Replay(ScenarioYaml("2m", R"(  - {at: 1m, scale: {deployment: web, replicas: 2}}
  - {at: 2m, expect: {runningPods: 2}}
)"));
  const api::Json json = ReportToJson(report);
  EXPECT_EQ(json["kind"], "ReplayReport");
  EXPECT_EQ(json["scenario"], "t");
  EXPECT_EQ(json["start"], "2024-01-01T00:00:00Z");
  EXPECT_EQ(json["durationSeconds"], 120);
  EXPECT_EQ(json["sampleEverySeconds"], 60);
  EXPECT_EQ(json["passed"], true);
  EXPECT_EQ(json["error"], nullptr);
  EXPECT_EQ(json["timeline"].size(), 3u);
  EXPECT_EQ(json["timeline"][2]["nodesByCapacityType"], api::Json({{"spot", 1}}));
  EXPECT_EQ(json["summary"]["pods"]["pendingSeconds"]["p50"], 36);
  EXPECT_EQ(json["summary"]["invariantViolations"], 0);
  EXPECT_EQ(json["expectations"][0]["check"], "runningPods = 2");
  EXPECT_EQ(json["events"][0]["atSeconds"], 0);

  std::ostringstream table;
  WriteReportTable(report, table);
  EXPECT_THAT(table.str(), ::testing::StartsWith(
                               "Scenario t (dir/scenario.yaml): 2m00s of virtual time from "
                               "2024-01-01T00:00:00Z\n\nEvents\n  0s         step       create "
                               "the initial objects (4)\n"));
  EXPECT_THAT(table.str(), HasSubstr("  result                 passed\n"));

  const std::string html = ReportToHtml(report);
  EXPECT_THAT(html, ::testing::StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr("<svg"));
  EXPECT_THAT(html, ::testing::Not(HasSubstr("http")));  // nothing fetched at view time
}

}  // namespace
}  // namespace karpenter::sim
