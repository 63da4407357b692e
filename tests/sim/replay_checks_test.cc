// The checks and summary fields added for the example scenarios: `disruptions`, `expirations`,
// the pendingSeconds checks (optionally for one Deployment), `podsByDeployment`, and
// PriorityClasses stored by the scenario loader.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "replay_test_util.h"
#include "sim/replay.h"

namespace karpenter::sim {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): test helpers

std::string ScenarioYaml(const std::string& duration, const std::string& steps,
                         const std::string& extra = "") {
  return "apiVersion: sim.karpenter-cpp.io/v1alpha1\nkind: Scenario\nmetadata: {name: t}\n"
         "spec:\n  duration: " +
         duration + "\n  steps:\n" + steps + kCatalogAndPool + DeploymentYaml(0) + extra;
}

ReplayReport Replay(const std::string& text) {
  ReplayOptions options;
  options.check_invariants = true;
  auto report = RunScenario(MustParse(text), options);
  EXPECT_TRUE(report.has_value()) << (report ? "" : report.error().message);
  return report ? std::move(*report) : ReplayReport{};
}

std::vector<std::string> Checks(const ReplayReport& report) {
  std::vector<std::string> out;
  for (const ExpectationOutcome& e : report.expectations) {
    out.push_back(e.check + " -> " + std::to_string(static_cast<int>(e.actual)) +
                  (e.passed ? "" : " FAILED"));
  }
  return out;
}

TEST(ReplayChecksTest, PendingSecondsForAllPodsAndForOneDeployment) {
  const ReplayReport report =
      Replay(ScenarioYaml("5m", R"(  - {at: 1m, scale: {deployment: web, replicas: 2}}
  - {at: 1m, expect: {pendingSecondsMax: 0, pendingSecondsP99: {deployment: default/web, max: 0}}}
  - {at: 4m, expect: {pendingSecondsP50: 36, pendingSecondsP99: {deployment: web, min: 30, max: 40}}}
  - {at: 4m, expect: {pendingSecondsMax: {deployment: default/other, max: 0}}}
)"));
  EXPECT_TRUE(report.Passed());
  // No pod started yet, or none of that Deployment: 0.
  EXPECT_EQ(Checks(report),
            (std::vector<std::string>{
                "pendingSecondsMax = 0 -> 0", "pendingSecondsP99(default/web) <= 0 -> 0",
                "pendingSecondsP50 = 36 -> 36", "pendingSecondsP99(default/web) in [30, 40] -> 36",
                "pendingSecondsMax(default/other) <= 0 -> 0"}));
  const ReplaySummary& s = report.summary;
  ASSERT_EQ(s.pods_by_deployment.size(), 1u);
  const PendingStats& web = s.pods_by_deployment.at("default/web");
  EXPECT_EQ(web.started, 2u);
  EXPECT_EQ(web.still_pending, 0u);
  EXPECT_EQ(web.p50_seconds, 36.0);
  EXPECT_EQ(web.max_seconds, 36.0);
  const api::Json json = ReportToJson(report);
  EXPECT_EQ(json["summary"]["podsByDeployment"]["default/web"]["started"], 2);
  EXPECT_EQ(json["summary"]["podsByDeployment"]["default/web"]["pendingSeconds"]["p99"], 36);
}

TEST(ReplayChecksTest, DisruptionsCountBudgetedCommandsAndExpirationsCountExpiredNodes) {
  // The pool's nodes expire after 10 minutes; WhenEmpty removes the empty node.
  const std::string expiring = R"(---
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: default}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      expireAfter: 10m
      requirements:
      - {key: karpenter.sh/capacity-type, operator: In, values: [spot, on-demand]}
  disruption:
    consolidationPolicy: WhenEmpty
    consolidateAfter: 30s
)";
  const ReplayReport report =
      Replay(ScenarioYaml("20m", R"(  - {at: 0s, scale: {deployment: web, replicas: 1}}
  - {at: 9m, expect: {disruptions: 0, expirations: 0, nodes: 1}}
  - {at: 11m, expect: {disruptions: 0, expirations: 1, runningPods: 1}}
  - {at: 12m, scale: {deployment: web, replicas: 0}}
  - {at: 14m, expect: {disruptions: 1, expirations: 1, nodes: 0}}
)",
                          expiring));
  EXPECT_TRUE(report.Passed());
  EXPECT_EQ(Checks(report),
            (std::vector<std::string>{
                "disruptions = 0 -> 0", "expirations = 0 -> 0", "nodes = 1 -> 1",
                "disruptions = 0 -> 0", "expirations = 1 -> 1", "runningPods = 1 -> 1",
                "disruptions = 1 -> 1", "expirations = 1 -> 1", "nodes = 0 -> 0"}));
}

TEST(ReplayChecksTest, DeploymentIsOnlyAllowedOnPendingSecondsChecks) {
  const std::string text =
      ScenarioYaml("5m", R"(  - {at: 1m, expect: {nodes: {deployment: web, max: 1}}}
)");
  LoadedScenario loaded = ParseScenario(text, "dir/scenario.yaml", FakeFiles{}.Reader());
  EXPECT_FALSE(loaded.scenario.has_value());
  bool found = false;
  for (const api::Diagnostic& d : loaded.diagnostics) {
    if (d.ToString().find("spec.steps[0].expect.nodes.deployment: unknown field \"deployment\"") !=
        std::string::npos) {
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST(ReplayChecksTest, PriorityClassesAreStoredAndGivePodsTheirPriority) {
  const std::string classes = R"(---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: standard}
value: 1000
globalDefault: true
)";
  const Scenario scenario =
      MustParse(ScenarioYaml("3m", R"(  - {at: 1m, scale: {deployment: web, replicas: 1}}
  - {at: 2m, expect: {runningPods: 1}}
)",
                             classes));
  ASSERT_EQ(scenario.objects.priority_classes.size(), 1u);
  EXPECT_EQ(scenario.objects.priority_classes[0].value, 1000);
  EXPECT_TRUE(Replay(ScenarioYaml("3m", R"(  - {at: 1m, scale: {deployment: web, replicas: 1}}
  - {at: 2m, expect: {runningPods: 1}}
)",
                                  classes))
                  .Passed());
}

}  // namespace
}  // namespace karpenter::sim
