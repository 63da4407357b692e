#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scheduling/scheduler.h"
#include "scheduling_test_util.h"

namespace karpenter::scheduling {
namespace {

using test_util::MakePod;
using test_util::MakePool;
using test_util::Names;
using test_util::Scenario;
using test_util::TypeNames;
using ::testing::ElementsAre;

api::DaemonSet Daemon(const std::string& cpu, const std::string& spec_extra = "") {
  api::FieldErrors errors;
  api::DaemonSet ds = api::codec::DecodeDaemonSet(
      test_util::Yaml("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: "
                      "kube-system}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n"
                      "    metadata: {labels: {app: agent}}\n    spec:\n      containers:\n"
                      "      - name: a\n        image: x\n        resources: {requests: {cpu: \"" +
                      cpu + "\"}}\n" + spec_extra),
      errors);
  EXPECT_TRUE(errors.empty());
  return ds;
}

TEST(ScheduleResources, DaemonOverheadReducesRoom) {
  Scenario s;
  s.AddPool(MakePool("default"));
  s.daemon_sets.push_back(Daemon("1"));
  s.input.daemon_sets.push_back(&s.daemon_sets.back());
  s.AddPod(MakePod("p", "1500m"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.new_node_claims.size(), 1u);
  const NewNodeClaim& claim = result.new_node_claims[0];
  EXPECT_THAT(TypeNames(claim), ElementsAre("medium", "large"));
  EXPECT_EQ(claim.daemon_overhead.Get("cpu"), core::Quantity::FromInt(1));
  EXPECT_EQ(claim.requests.Get("cpu"), core::Quantity::FromMilli(2500));
  EXPECT_EQ(claim.requests.Get("pods"), core::Quantity::FromInt(2));
}

TEST(ScheduleResources, DaemonNotToleratingTaintAddsNothing) {
  Scenario s;
  s.AddPool(MakePool("tainted", "      taints:\n      - {key: k, effect: NoSchedule}\n"));
  s.daemon_sets.push_back(Daemon("1"));
  s.input.daemon_sets.push_back(&s.daemon_sets.back());
  s.AddPod(MakePod("p", "1500m", "1Gi", "  tolerations:\n  - {key: k, operator: Exists}\n"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.new_node_claims.size(), 1u);
  EXPECT_THAT(TypeNames(result.new_node_claims[0]), ElementsAre("small", "medium", "large"));
}

TEST(ScheduleResources, ExtendedResourceNeedsTypeWithIt) {
  Scenario s;
  s.catalog = test_util::MakeCatalog(
      {{"small", 2, 4, 0.10}, {"gpu", 8, 32, 3.0, {"zone-a"}, "amd64", 1}});
  s.AddPool(MakePool("default"));
  s.AddPod(MakePod("trainer", "1", "1Gi",
                   "  - name: g\n    image: x\n    resources:\n      limits:\n        nvidia.com/gpu: 1\n"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.new_node_claims.size(), 1u);
  EXPECT_THAT(TypeNames(result.new_node_claims[0]), ElementsAre("gpu"));
}

TEST(ScheduleResources, HostPortsConflictOnOneNode) {
  Scenario s;
  s.AddPool(MakePool("default"));
  const std::string port =
      "    ports:\n    - {containerPort: 80, hostPort: 8080}\n";
  s.AddPod(MakePod("a", "1", "1Gi", port));
  s.AddPod(MakePod("b", "1", "1Gi", port));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.new_node_claims.size(), 2u);
}

TEST(ScheduleLimits, TypesBeyondRemainingLimitDropped) {
  Scenario s;
  s.AddPool(MakePool("default", "", "  limits:\n    cpu: \"10\"\n"),
            {{"cpu", core::Quantity::FromInt(4)}});
  s.AddPod(MakePod("p", "1"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.new_node_claims.size(), 1u);
  EXPECT_THAT(TypeNames(result.new_node_claims[0]), ElementsAre("small", "medium"));
}

TEST(ScheduleLimits, LimitReachedReason) {
  Scenario s;
  s.AddPool(MakePool("default", "", "  limits:\n    cpu: \"10\"\n"),
            {{"cpu", core::Quantity::FromInt(9)}});
  s.AddPod(MakePod("p", "1"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.unschedulable.size(), 1u);
  EXPECT_EQ(result.unschedulable[0].reason, "nodepool \"default\": limit cpu=10 reached");
}

TEST(ScheduleLimits, InFlightClaimsCountAtLargestOption) {
  Scenario s;
  s.AddPool(MakePool("default", "", "  limits:\n    cpu: \"12\"\n"));
  const std::string port = "    ports:\n    - {containerPort: 80, hostPort: 8080}\n";
  s.AddPod(MakePod("a", "1", "1Gi", port));
  s.AddPod(MakePod("b", "1", "1Gi", port));
  SchedulingResult result = s.Run();
  // The first claim may become a large (8 cpu): 4 remain, so the second is small or medium.
  ASSERT_EQ(result.new_node_claims.size(), 2u);
  EXPECT_THAT(TypeNames(result.new_node_claims[1]), ElementsAre("small", "medium"));
}

}  // namespace
}  // namespace karpenter::scheduling
