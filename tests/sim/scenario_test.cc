// Scenario files: what they parse into, and the errors they get (file:line, step, field).
#include "sim/scenario.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "replay_test_util.h"
#include "sim/replay_report.h"

namespace karpenter::sim {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using namespace testing;  // NOLINT(google-build-using-namespace): test helpers

std::vector<std::string> Errors(const std::string& text, const FakeFiles& files = {}) {
  LoadedScenario loaded = ParseScenario(text, "dir/scenario.yaml", files.Reader());
  EXPECT_FALSE(loaded.scenario.has_value());
  std::vector<std::string> errors;
  for (const api::Diagnostic& d : loaded.diagnostics) {
    if (d.severity == api::Severity::kError) errors.push_back(d.ToString());
  }
  return errors;
}

// A scenario whose spec ends with `spec_tail` (indented two spaces, under spec).
std::string ScenarioWith(const std::string& spec_tail) {
  return "apiVersion: sim.karpenter-cpp.io/v1alpha1\n"  // line 1
         "kind: Scenario\n"                             // 2
         "metadata: {name: s}\n"                        // 3
         "spec:\n"                                      // 4
         "  duration: 10m\n" +                          // 5
         spec_tail;                                     // from line 6
}

TEST(ScenarioTest, ParsesSettingsObjectsAndStepsInTimeOrder) {
  FakeFiles files;
  files.files["dir/catalog.yaml"] = kCatalogAndPool;
  const Scenario scenario = MustParse(ScenarioWith(R"(  region: eu-west-1
  sampleEvery: 30s
  start: "2024-05-01T08:00:00Z"
  objects:
  - catalog.yaml
  - {apiVersion: v1, kind: Namespace, metadata: {name: team}}
  steps:
  - at: 5m
    expect: {nodes: 1, pendingPods: {max: 0}, costPerHour: {min: 0.1, max: 0.5}}
  - at: 1m
    scale: {deployment: default/web, replicas: 5}
  - at: 90s
    fault: {insufficientCapacity: {instanceType: c.large, zone: zone-a, capacityType: spot}}
  - at: 2m
    delete: [{kind: Deployment, name: web}, {kind: NodePool, name: default}]
  - at: 3m
    fault: {interrupt: {nodes: 2}}
---
)") + DeploymentYaml(0),
                                      files);
  EXPECT_EQ(scenario.name, "s");
  EXPECT_EQ(scenario.file, "dir/scenario.yaml");
  EXPECT_EQ(scenario.duration, std::chrono::minutes(10));
  EXPECT_EQ(scenario.sample_every, std::chrono::seconds(30));
  EXPECT_EQ(scenario.region, "eu-west-1");
  EXPECT_EQ(scenario.start, core::Time(std::chrono::seconds(1714550400)));
  EXPECT_EQ(scenario.objects.instance_types.size(), 2u);
  ASSERT_EQ(scenario.objects.node_pools.size(), 1u);
  ASSERT_EQ(scenario.objects.namespaces.size(), 1u);
  EXPECT_EQ(scenario.objects.namespaces[0].metadata.name, "team");
  ASSERT_EQ(scenario.objects.deployments.size(), 1u);
  EXPECT_EQ(scenario.objects.deployments[0].replicas, 0);

  std::vector<std::string> steps;
  for (const ScenarioStep& step : scenario.steps) {
    steps.push_back(FormatOffset(step.at) + " " + step.source + " " + DescribeAction(step.action));
  }
  EXPECT_THAT(
      steps,
      ElementsAre("1m00s dir/scenario.yaml:15 scale Deployment default/web to 5 replicas",
                  "1m30s dir/scenario.yaml:17 insufficient capacity for spot c.large in zone-a",
                  "2m00s dir/scenario.yaml:19 delete Deployment/default/web, NodePool/default",
                  "3m00s dir/scenario.yaml:21 interrupt 2 spot instance(s)",
                  "5m00s dir/scenario.yaml:13 expect nodes = 1, pendingPods <= 0, costPerHour "
                  "in [0.1, 0.5]"));
  EXPECT_EQ(scenario.steps.back().index, 0);
  EXPECT_TRUE(IsCheck(scenario.steps.back().action));
  EXPECT_FALSE(IsCheck(scenario.steps.front().action));
}

TEST(ScenarioTest, DefaultsAndInlineApply) {
  const Scenario scenario = MustParse(ScenarioWith(R"(  steps:
  - at: 0
    apply:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: api}
      spec:
        selector: {matchLabels: {app: api}}
        template:
          metadata: {labels: {app: api}}
          spec: {containers: [{name: c, image: pause}]}
)"));
  EXPECT_EQ(scenario.start, core::Time(std::chrono::seconds(kDefaultScenarioStartSeconds)));
  EXPECT_EQ(scenario.region, "us-east-1");
  EXPECT_EQ(scenario.sample_every, std::chrono::minutes(1));
  ASSERT_EQ(scenario.steps.size(), 1u);
  const auto& apply = std::get<ApplyAction>(scenario.steps[0].action);
  ASSERT_EQ(apply.objects.deployments.size(), 1u);
  EXPECT_EQ(apply.objects.deployments[0].metadata.namespace_, "default");
  EXPECT_EQ(apply.objects.deployments[0].replicas, 1);
  EXPECT_EQ(DescribeAction(scenario.steps[0].action), "apply Deployment/api");
}

TEST(ScenarioTest, RepeatingStepsRunEveryPeriodUntilTheirEnd) {
  const Scenario scenario = MustParse(ScenarioWith(R"(  steps:
  - {at: 1m, every: 3m, scale: {deployment: web, replicas: 3}}
  - {at: 2m, every: 4m, until: 6m, fault: {launchFailure: {count: 2}}}
)"));
  std::vector<std::string> steps;
  for (const ScenarioStep& step : scenario.steps) {
    steps.push_back(FormatOffset(step.at) + " " + DescribeAction(step.action));
  }
  EXPECT_THAT(steps, ElementsAre("1m00s scale Deployment default/web to 3 replicas",
                                 "2m00s fail the next 2 launch(es): simulated launch failure",
                                 "4m00s scale Deployment default/web to 3 replicas",
                                 "6m00s fail the next 2 launch(es): simulated launch failure",
                                 "7m00s scale Deployment default/web to 3 replicas",
                                 "10m00s scale Deployment default/web to 3 replicas"));
}

TEST(ScenarioTest, EveryFaultParses) {
  const Scenario scenario = MustParse(ScenarioWith(R"(  steps:
  - at: 1s
    fault: {insufficientCapacity: {instanceType: t, zone: z, capacityType: on-demand, clear: true}}
  - {at: 2s, fault: {neverRegister: {count: 1}}}
  - {at: 3s, fault: {neverRegister: {nodeClaim: default-x}}}
  - {at: 4s, fault: {slowRegistration: {delay: 10m}}}
  - {at: 5s, fault: {interrupt: {node: node-i-1}}}
  - {at: 6s, fault: {launchFailure: {message: boom}}}
)"));
  std::vector<std::string> steps;
  for (const ScenarioStep& step : scenario.steps) steps.push_back(DescribeAction(step.action));
  EXPECT_THAT(steps, ElementsAre("clear insufficient capacity for on-demand t in z",
                                 "the next 1 launched node(s) never register",
                                 "NodeClaim default-x never registers",
                                 "nodes launched from now on register after 10m0s",
                                 "interrupt node node-i-1", "fail the next 1 launch(es): boom"));
}

TEST(ScenarioTest, ErrorsNameFileLineStepAndField) {
  EXPECT_THAT(
      Errors(ScenarioWith(R"(  steps:
  - at: 1m
    scale: {deployment: web, replicas: -1}
  - at: 11m
    expect: {nodes: 0}
  - at: 2m
    expect: {nodez: 0, pods: {min: 3, max: 1}}
  - at: soon
    delete: [{kind: Node, namespace: default, name: n}]
  - scale: {deployment: web, replicas: 1}
  - at: 1m
    scale: {deployment: web, replicas: 1}
    fault: {launchFailure: {}}
  - at: 1m
    fault: {interrupt: {nodes: 1}, launchFailure: {}}
  - at: 1m
    pause: 5m
)")),
      ElementsAre(
          "dir/scenario.yaml:8:30: error: Scenario/s: spec.steps[0].scale.replicas: must be at "
          "least 0",
          "dir/scenario.yaml:9:5: error: Scenario/s: spec.steps[1].at: is after the end of the "
          "scenario (spec.duration)",
          "dir/scenario.yaml:12:14: error: Scenario/s: spec.steps[2].expect.nodez: unknown check "
          "\"nodez\" (expected one of: nodes, readyNodes, nodeClaims, instances, pods, "
          "pendingPods, runningPods, evictions, costPerHour, totalCost, disruptions, "
          "expirations, pendingSecondsP50, pendingSecondsP99, pendingSecondsMax)",
          "dir/scenario.yaml:12:24: error: Scenario/s: spec.steps[2].expect.pods: min is larger "
          "than max",
          "dir/scenario.yaml:13:5: error: Scenario/s: spec.steps[3].at: time: invalid duration "
          "\"soon\"",
          "dir/scenario.yaml:14:27: error: Scenario/s: spec.steps[3].delete[0].namespace: Node is "
          "cluster-scoped: it has no namespace",
          "dir/scenario.yaml:15:5: error: Scenario/s: spec.steps[4]: at is required (when the "
          "step runs, after the start, e.g. \"90s\")",
          "dir/scenario.yaml:16:5: error: Scenario/s: spec.steps[5]: does more than one thing "
          "(scale, fault): write one step each",
          "dir/scenario.yaml:20:5: error: Scenario/s: spec.steps[6].fault: name exactly one "
          "fault",
          "dir/scenario.yaml:22:5: error: Scenario/s: spec.steps[7].pause: unknown field "
          "\"pause\" (expected one of: at, every, until, scale, apply, delete, fault, expect)",
          "dir/scenario.yaml:21:5: error: Scenario/s: spec.steps[7]: says nothing to do: add one "
          "of scale, apply, delete, fault, expect"));
}

TEST(ScenarioTest, DocumentErrors) {
  EXPECT_THAT(Errors("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"),
              ElementsAre("dir/scenario.yaml: error: no Scenario document (apiVersion: "
                          "sim.karpenter-cpp.io/v1alpha1, kind: Scenario)"));
  EXPECT_THAT(
      Errors("apiVersion: sim.karpenter-cpp.io/v1\nkind: Scenario\nmetadata: {}\nspec:\n"
             "  duration: 0s\n  sampleEvery: 100ms\n  start: yesterday\n  extra: 1\n"),
      ElementsAre(
          "dir/scenario.yaml:1:1: error: Scenario/: apiVersion: must be "
          "sim.karpenter-cpp.io/v1alpha1",
          "dir/scenario.yaml:3:1: error: Scenario/: metadata: name is required",
          "dir/scenario.yaml:8:3: error: Scenario/: spec.extra: unknown field \"extra\" "
          "(expected one of: duration, start, region, sampleEvery, objects, steps)",
          "dir/scenario.yaml:5:3: error: Scenario/: spec.duration: must be longer than 0s",
          "dir/scenario.yaml:7:3: error: Scenario/: spec.start: must be an RFC 3339 time such "
          "as \"2024-01-01T00:00:00Z\", not \"yesterday\"",
          "dir/scenario.yaml:6:3: error: Scenario/: spec.sampleEvery: must be at least 1s"));
}

TEST(ScenarioTest, ObjectErrorsNameTheirOwnFileOrTheScenarioLine) {
  FakeFiles files;
  files.files["dir/bad.yaml"] =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
      "spec: {replicas: -2, selector: {matchLabels: {a: b}}, template: "
      "{metadata: {labels: {a: b}}, spec: {containers: [{name: c, "
      "image: i}]}}}\n";
  const std::vector<std::string> errors = Errors(ScenarioWith(R"(  objects:
  - bad.yaml
  - missing.yaml
  steps:
  - at: 1m
    apply:
    - apiVersion: karpenter.sh/v1
      kind: NodePool
      metadata: {name: p}
      spec: {template: {spec: {requirements: []}}}
)"),
                                                 files);
  EXPECT_THAT(
      errors,
      ElementsAre("dir/missing.yaml: error: no such file or directory",
                  "dir/bad.yaml:4:8: error: Deployment/d: spec.replicas: Invalid value: -2: must "
                  "be greater than or equal to 0",
                  "dir/scenario.yaml:15:25: error: NodePool/p: spec.template.spec.nodeClassRef: "
                  "Required value",
                  "dir/scenario.yaml:12:7: error: NodePool/p: Invalid value: \"null\": some "
                  "validation rules were not checked because the object was invalid; correct the "
                  "existing errors to complete validation"));
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

api::ReadResult ReadFromDisk(const std::string& path) {
  return api::ReadYamlDocuments(ReadText(path), path);
}

TEST(ScenarioTest, TheInflateExampleParses) {
  const std::string file = std::string(KARPENTER_SOURCE_DIR) + "/examples/scenarios/inflate.yaml";
  LoadedScenario loaded = ParseScenario(ReadText(file), file, ReadFromDisk);
  for (const api::Diagnostic& d : loaded.diagnostics) ADD_FAILURE() << d.ToString();
  ASSERT_TRUE(loaded.scenario.has_value());
  const Scenario& scenario = *loaded.scenario;
  EXPECT_EQ(scenario.name, "inflate");
  EXPECT_EQ(scenario.region, "ap-southeast-1");
  EXPECT_EQ(scenario.duration, std::chrono::minutes(10));
  ASSERT_EQ(scenario.objects.node_pools.size(), 1u);
  EXPECT_EQ(scenario.objects.node_pools[0].metadata.name, "default");
  EXPECT_EQ(scenario.objects.node_classes.size(), 1u);
  ASSERT_EQ(scenario.objects.deployments.size(), 1u);
  EXPECT_EQ(scenario.objects.deployments[0].replicas, 0);
  std::vector<std::string> steps;
  for (const ScenarioStep& step : scenario.steps) {
    steps.push_back(FormatOffset(step.at) + " " + DescribeAction(step.action));
  }
  EXPECT_THAT(steps, ElementsAre("1m00s scale Deployment default/inflate to 5 replicas",
                                 "5m00s expect pendingPods = 0, runningPods = 5, nodes >= 1",
                                 "6m00s scale Deployment default/inflate to 0 replicas",
                                 "10m00s expect pods = 0, nodes = 0, nodeClaims = 0, "
                                 "costPerHour = 0"));
}

TEST(ScenarioTest, NoStepsIsFine) {
  const Scenario scenario = MustParse(ScenarioWith(""));
  EXPECT_THAT(scenario.steps, IsEmpty());
}

}  // namespace
}  // namespace karpenter::sim
