// `karpenter simulate` and `karpenter explain` end to end, in process.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "api/json.h"

namespace karpenter::cli {
namespace {

using test_util::CliRun;
using test_util::Karpenter;
using test_util::Source;
using test_util::TempFile;

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kHugePod = R"(apiVersion: v1
kind: Pod
metadata: {name: huge}
spec:
  containers:
  - name: c
    image: pause
    resources: {requests: {cpu: "5000"}}
)";

std::vector<std::string> Keys(const api::Json& object) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.push_back(key);
  return keys;
}

TEST(Simulate, ExamplePlanPlacesTheFiveInflatePods) {
  CliRun run = Karpenter({"simulate", "-f", Source("examples/simulate"), "-o", "json"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.err, Not(HasSubstr("error")));
  const api::Json plan = api::Json::parse(run.out);
  EXPECT_THAT(Keys(plan), ElementsAre("nodeClaims", "existingNodes", "unschedulable",
                                      "costPerHour", "lowerBoundPerHour"));
  ASSERT_FALSE(plan["nodeClaims"].empty());
  std::size_t pods = 0;
  double sum = 0;
  for (const api::Json& claim : plan["nodeClaims"]) {
    EXPECT_THAT(Keys(claim), ElementsAre("name", "nodePool", "round", "instanceType", "zone",
                                         "capacityType", "pricePerHour", "priceSource",
                                         "instanceTypeOptions", "pods", "requests"));
    EXPECT_EQ(claim["nodePool"], "default");
    EXPECT_EQ(claim["round"], 1);
    EXPECT_EQ(claim["capacityType"], "spot");  // the Provisioner allows spot only
    EXPECT_EQ(claim["priceSource"], "spot-model");
    EXPECT_EQ(claim["instanceTypeOptions"][0], claim["instanceType"]);
    for (const api::Json& pod : claim["pods"]) {
      EXPECT_THAT(pod.get<std::string>(), ::testing::StartsWith("default/inflate-"));
      ++pods;
    }
    sum += claim["pricePerHour"].get<double>();
  }
  EXPECT_EQ(pods, 5u);
  EXPECT_TRUE(plan["existingNodes"].empty());
  EXPECT_TRUE(plan["unschedulable"].empty());
  const double cost = plan["costPerHour"].get<double>();
  const double bound = plan["lowerBoundPerHour"].get<double>();
  EXPECT_GT(cost, 0);
  EXPECT_NEAR(cost, sum, 1e-6);
  EXPECT_GT(bound, 0);
  EXPECT_LE(bound, cost);
  // The same input gives the same plan.
  EXPECT_EQ(Karpenter({"simulate", "-f", Source("examples/simulate"), "-o", "json"}).out, run.out);
}

TEST(Simulate, TableForPeople) {
  CliRun run = Karpenter({"simulate", "-f", Source("examples/simulate")});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("NODECLAIM"));
  EXPECT_THAT(run.out, HasSubstr("INSTANCE-TYPE"));
  EXPECT_THAT(run.out, HasSubstr("default-"));
  EXPECT_THAT(run.out, HasSubstr("Cost: $"));
  EXPECT_THAT(run.out, HasSubstr("lower bound $"));
  EXPECT_THAT(run.out, HasSubstr("* spot price modelled"));
}

TEST(Simulate, TheWholeExamplesDirectorySimulatesToo) {
  CliRun run = Karpenter({"simulate", "-f", Source("examples"), "-o", "json"});
  EXPECT_EQ(run.code, 0) << run.err;
  // The legacy objects are left out with a pointer to `karpenter convert`.
  EXPECT_THAT(run.err, HasSubstr("left out of the simulation: run `karpenter convert`"));
  const api::Json plan = api::Json::parse(run.out);
  std::size_t pods = 0;
  for (const api::Json& claim : plan["nodeClaims"]) pods += claim["pods"].size();
  EXPECT_EQ(pods, 5u);  // examples/simulate/inflate-5.yaml is the last `inflate` and wins
  EXPECT_GT(plan["costPerHour"].get<double>(), 0);
}

TEST(Simulate, UnschedulablePodGetsAReason) {
  const std::string huge = TempFile("huge.yaml", kHugePod);
  CliRun run = Karpenter({"simulate", "-f", Source("examples/simulate"), "-f", huge, "-o", "json"});
  ASSERT_EQ(run.code, 0) << run.err;
  const api::Json plan = api::Json::parse(run.out);
  ASSERT_EQ(plan["unschedulable"].size(), 1u);
  EXPECT_THAT(Keys(plan["unschedulable"][0]), ElementsAre("pod", "reason"));
  EXPECT_EQ(plan["unschedulable"][0]["pod"], "default/huge");
  EXPECT_THAT(plan["unschedulable"][0]["reason"].get<std::string>(), HasSubstr("\"default\""));
  // The table says it too.
  run = Karpenter({"simulate", "-f", Source("examples/simulate"), "-f", huge});
  EXPECT_THAT(run.out, HasSubstr("Unschedulable pods:\n  default/huge (round 1): "));
}

TEST(Simulate, InvalidObjectsAreReportedAndTheRestSimulated) {
  const std::string bad = TempFile("bad.yaml", R"(apiVersion: v1
kind: Pod
metadata: {name: bad}
spec:
  containers:
  - name: c
    resources: {requests: {cpu: "-1"}}
)");
  CliRun run = Karpenter({"simulate", "-f", Source("examples/simulate"), "-f", bad, "-o", "json"});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr(bad + ":7:28: error: Pod/bad: spec.containers[0].resources.requests.cpu"));
  EXPECT_THAT(run.err, HasSubstr("1 error(s) in the input; the plan covers the objects without "
                                 "errors"));
  const api::Json plan = api::Json::parse(run.out);
  EXPECT_FALSE(plan["nodeClaims"].empty());
}

TEST(Simulate, UnknownRegionIsAUsageError) {
  CliRun run = Karpenter({"simulate", "-f", Source("examples/simulate"), "--region", "mars-1"});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("mars-1"));
  EXPECT_EQ(run.out, "");
}

TEST(Simulate, BadOutputFormatIsAUsageError) {
  EXPECT_EQ(Karpenter({"simulate", "-f", Source("examples/simulate"), "-o", "yaml"}).code, 2);
}

TEST(Explain, UnschedulablePodShowsTheEliminationTrail) {
  const std::string huge = TempFile("huge.yaml", kHugePod);
  CliRun run = Karpenter(
      {"explain", "-f", Source("examples/simulate"), "-f", huge, "--pod", "default/huge"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("Pod default/huge (round 1)\n  requests: {cpu: 5k, pods: 1}\n"));
  EXPECT_THAT(run.out, HasSubstr("\nUnschedulable: nodepool \"default\": no instance type has "
                                 "enough resources (cpu 5k > largest allocatable 382970m)\n"));
  // The trail: the inflate pods' NodeClaim refused it, then every instance type of the
  // NodePool, grouped by the check that ruled it out.
  EXPECT_THAT(run.out, HasSubstr("  NodeClaims of this run: 1 tried, fewest pods first\n"));
  EXPECT_THAT(run.out, HasSubstr("    default (weight 0): 1235 instance types, 642 allowed by its "
                                 "requirements\n      642 types: cpu 5k > allocatable"));
  EXPECT_THAT(run.out, HasSubstr("      => excluded by instance types: "));
}

TEST(Explain, PlacedPodShowsItsNodeClaim) {
  const std::string small = TempFile("small.yaml", R"(apiVersion: v1
kind: Pod
metadata: {name: small, namespace: team-a}
spec:
  containers:
  - name: c
    image: pause
    resources: {requests: {cpu: 250m, memory: 256Mi}}
)");
  CliRun run = Karpenter({"explain", "-f", Source("examples/simulate/default.yaml"), "-f", small,
                          "--pod", "team-a/small"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("Placed on a new NodeClaim default-"));
  EXPECT_THAT(run.out, HasSubstr("(NodePool \"default\", round 1)"));
  EXPECT_THAT(run.out, HasSubstr("instance-type option(s), cheapest first: "));
}

TEST(Explain, UnknownPodIsAnError) {
  CliRun run = Karpenter({"explain", "-f", Source("examples/simulate"), "--pod", "default/nope"});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("pod default/nope is not in the input"));
}

}  // namespace
}  // namespace karpenter::cli
