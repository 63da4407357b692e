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

api::NodePool PoolWithLabel() {
  return test_util::PoolFromYaml(R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: team-a}
spec:
  template:
    metadata:
      labels: {team: a}
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
)");
}

const char kTaint[] =
    "      taints:\n      - key: dedicated\n        value: gpu\n        effect: NoSchedule\n";

TEST(ScheduleConstraints, UntoleratedTaintFallsThroughToNextPool) {
  Scenario s;
  s.AddPool(MakePool("tainted", kTaint, "  weight: 10\n"));
  s.AddPool(MakePool("plain"));
  s.AddPod(MakePod("p", "1"));
  s.AddPod(MakePod("tolerates", "2", "1Gi",
                   "  tolerations:\n  - key: dedicated\n    operator: Exists\n"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.new_node_claims.size(), 2u);
  EXPECT_EQ(result.new_node_claims[0].node_pool, "tainted");
  EXPECT_THAT(Names(result.new_node_claims[0].pods), ElementsAre("tolerates"));
  EXPECT_EQ(result.new_node_claims[1].node_pool, "plain");
}

TEST(ScheduleConstraints, UntoleratedTaintReason) {
  Scenario s;
  s.AddPool(MakePool("tainted", kTaint));
  s.AddPod(MakePod("p", "1"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.unschedulable.size(), 1u);
  EXPECT_EQ(result.unschedulable[0].reason,
            "nodepool \"tainted\": did not tolerate taint (taint=dedicated=gpu:NoSchedule)");
}

TEST(ScheduleConstraints, PreferNoScheduleToleratedOnlyAsLastRelaxation) {
  Scenario s;
  s.AddPool(MakePool("soft", "      taints:\n      - key: soft\n        effect: PreferNoSchedule\n"));
  s.AddPod(MakePod("p", "1"));
  SchedulingResult result = s.Run();
  EXPECT_TRUE(result.unschedulable.empty());
  ASSERT_EQ(result.new_node_claims.size(), 1u);
}

TEST(ScheduleConstraints, StartupTaintsIgnored) {
  Scenario s;
  s.AddPool(MakePool("startup",
                     "      startupTaints:\n      - key: init\n        effect: NoSchedule\n"));
  s.AddPod(MakePod("p", "1"));
  EXPECT_EQ(s.Run().new_node_claims.size(), 1u);
}

TEST(ScheduleConstraints, CustomLabelMustBeDefinedByNodePool) {
  Scenario s;
  s.AddPool(MakePool("default"));
  s.AddPod(MakePod("wants-team", "2", "1Gi", "  nodeSelector:\n    team: a\n"));
  SchedulingResult result = s.Run();
  ASSERT_EQ(result.unschedulable.size(), 1u);
  EXPECT_EQ(result.unschedulable[0].reason,
            "nodepool \"default\": requirement \"team In [a]\" needs label \"team\", which "
            "NodePool \"default\" does not define");
}

TEST(ScheduleConstraints, CustomLabelNotInNeedsNoDefinition) {
  Scenario s;
  s.AddPool(MakePool("default"));
  s.AddPod(MakePod("avoids-team", "1", "1Gi",
                   "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
                   "        nodeSelectorTerms:\n        - matchExpressions:\n"
                   "          - {key: team, operator: NotIn, values: [b]}\n"));
  SchedulingResult result = s.Run();
  EXPECT_TRUE(result.unschedulable.empty());
  ASSERT_EQ(result.new_node_claims.size(), 1u);
  EXPECT_EQ(result.new_node_claims[0].requirements.Get("team").ToString(), "team NotIn [b]");
}

TEST(ScheduleConstraints, TemplateLabelDefinesCustomKey) {
  Scenario s;
  s.AddPool(PoolWithLabel());
  s.AddPod(MakePod("wants-team", "1", "1Gi", "  nodeSelector:\n    team: a\n"));
  SchedulingResult result = s.Run();
  EXPECT_TRUE(result.unschedulable.empty());
}

}  // namespace
}  // namespace karpenter::scheduling
