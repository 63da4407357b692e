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

std::string Required(const std::string& terms) {
  return "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
         "        nodeSelectorTerms:\n" + terms;
}

TEST(ScheduleNodeAffinity, ZoneRequirementNarrowsClaim) {
  Scenario s;
  s.AddPool(MakePool("default"));
  s.AddPod(MakePod("p", "1", "1Gi", "  nodeSelector:\n    topology.kubernetes.io/zone: zone-b\n"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.new_node_claims.size(), 1u);
  EXPECT_EQ(result.new_node_claims[0].requirements.Get("topology.kubernetes.io/zone").ToString(),
            "topology.kubernetes.io/zone In [zone-b]");
  EXPECT_EQ(ChooseLaunch(result.new_node_claims[0]).offering->zone, "zone-b");
}

TEST(ScheduleNodeAffinity, DeprecatedZoneLabelIsNormalised) {
  Scenario s;
  s.AddPool(MakePool("default"));
  s.AddPod(MakePod("p", "1", "1Gi",
                   "  nodeSelector:\n    failure-domain.beta.kubernetes.io/zone: zone-c\n"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.new_node_claims.size(), 1u);
  EXPECT_EQ(ChooseLaunch(result.new_node_claims[0]).offering->zone, "zone-c");
}

TEST(ScheduleNodeAffinity, RequiredTermsRelaxedOneByOne) {
  Scenario s;
  s.AddPool(MakePool("default"));
  s.AddPod(MakePod("p", "1", "1Gi",
                   Required("        - matchExpressions:\n"
                            "          - {key: topology.kubernetes.io/zone, operator: In, values: [zone-z]}\n"
                            "        - matchExpressions:\n"
                            "          - {key: topology.kubernetes.io/zone, operator: In, values: [zone-c]}\n")));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.new_node_claims.size(), 1u);
  EXPECT_EQ(ChooseLaunch(result.new_node_claims[0]).offering->zone, "zone-c");
}

TEST(ScheduleNodeAffinity, HeaviestPreferenceHonouredThenRelaxed) {
  Scenario s;
  s.AddPool(MakePool("default"));
  s.AddPod(MakePod("p", "1", "1Gi",
                   "  affinity:\n    nodeAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n"
                   "      - weight: 1\n        preference:\n          matchExpressions:\n"
                   "          - {key: topology.kubernetes.io/zone, operator: In, values: [zone-b]}\n"
                   "      - weight: 50\n        preference:\n          matchExpressions:\n"
                   "          - {key: topology.kubernetes.io/zone, operator: In, values: [zone-nowhere]}\n"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.new_node_claims.size(), 1u);
  // zone-nowhere (weight 50) fails and is dropped; zone-b (weight 1) is then honoured.
  EXPECT_EQ(ChooseLaunch(result.new_node_claims[0]).offering->zone, "zone-b");
}

TEST(ScheduleNodeAffinity, GtOnIntegerLabel) {
  Scenario s;
  s.AddPool(MakePool("default"));
  s.AddPod(MakePod("p", "1", "1Gi",
                   Required("        - matchExpressions:\n"
                            "          - {key: karpenter.k8s.aws/instance-cpu, operator: Gt, values: [\"3\"]}\n")));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.new_node_claims.size(), 1u);
  EXPECT_THAT(TypeNames(result.new_node_claims[0]), ElementsAre("medium", "large"));
}

TEST(ScheduleNodeAffinity, ConflictWithNodePoolRequirementIsExplained) {
  Scenario s;
  s.AddPool(MakePool("default",
                     "      requirements:\n"
                     "      - {key: topology.kubernetes.io/zone, operator: In, values: [zone-a]}\n"));
  s.AddPod(MakePod("p", "1", "1Gi", "  nodeSelector:\n    topology.kubernetes.io/zone: zone-b\n"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.unschedulable.size(), 1u);
  EXPECT_EQ(result.unschedulable[0].reason,
            "nodepool \"default\": requirement \"topology.kubernetes.io/zone In [zone-b]\" "
            "conflicts with NodePool \"default\"'s \"topology.kubernetes.io/zone In [zone-a]\"");
}

TEST(ScheduleNodeAffinity, MinValuesRejectsTooFewTypes) {
  Scenario s;
  s.AddPool(MakePool("default",
                     "      requirements:\n"
                     "      - {key: node.kubernetes.io/instance-type, operator: Exists, minValues: 2}\n"));
  s.AddPod(MakePod("fits-two", "3"));
  s.AddPod(MakePod("fits-one", "7"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.new_node_claims.size(), 1u);
  EXPECT_THAT(Names(result.new_node_claims[0].pods), ElementsAre("fits-two"));
  EXPECT_THAT(TypeNames(result.new_node_claims[0]), ElementsAre("medium", "large"));
  ASSERT_EQ(result.unschedulable.size(), 1u);
  EXPECT_EQ(result.unschedulable[0].pod->metadata.name, "fits-one");
  EXPECT_EQ(result.unschedulable[0].reason,
            "nodepool \"default\": minValues not met: node.kubernetes.io/instance-type has 1 of "
            "minValues 2");
}

}  // namespace
}  // namespace karpenter::scheduling
