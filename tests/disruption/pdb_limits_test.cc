#include "disruption/pdb_limits.h"

#include <gtest/gtest.h>

#include "disruption_test_util.h"

namespace karpenter::disruption {
namespace {

using testing::PdbYaml;
using testing::RunningPod;

api::PodDisruptionBudget Pdb(const std::string& spec_lines) {
  return PdbYaml(
      "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web, "
      "namespace: default}\nspec:\n  selector: {matchLabels: {app: web}}\n" +
      spec_lines);
}

// `ready` ready web pods, `unready` unready ones, one terminating and one failed (neither
// counts as healthy; the failed one is not expected either), plus a pod of another app.
std::vector<api::Pod> WebPods(int ready, int unready) {
  std::vector<api::Pod> pods;
  for (int i = 0; i < ready + unready; ++i) {
    pods.push_back(RunningPod("default", "web-" + std::to_string(i), "n1", {{"app", "web"}}));
    if (i >= ready) pods.back().status.conditions.front().status = "False";
  }
  pods.push_back(RunningPod("default", "web-terminating", "n1", {{"app", "web"}}));
  pods.back().metadata.deletion_timestamp = 1;
  pods.push_back(RunningPod("default", "web-failed", "n1", {{"app", "web"}}));
  pods.back().status.phase = "Failed";
  pods.push_back(RunningPod("default", "api-0", "n1", {{"app", "api"}}));
  return pods;
}

int32_t Allowed(const api::PodDisruptionBudget& pdb, const std::vector<api::Pod>& pods) {
  std::vector<const api::Pod*> pointers;
  for (const api::Pod& pod : pods) pointers.push_back(&pod);
  return ComputeDisruptionsAllowed(pdb, pointers);
}

TEST(PdbLimits, ComputesDisruptionsAllowedLikeTheDisruptionController) {
  // 4 ready + 1 unready + 1 terminating = 6 expected, 4 healthy.
  const std::vector<api::Pod> pods = WebPods(4, 1);
  EXPECT_EQ(Allowed(Pdb("  minAvailable: 2\n"), pods), 2);
  EXPECT_EQ(Allowed(Pdb("  minAvailable: 4\n"), pods), 0);
  EXPECT_EQ(Allowed(Pdb("  minAvailable: 5\n"), pods), 0);
  EXPECT_EQ(Allowed(Pdb("  minAvailable: \"50%\"\n"), pods), 1);  // desired ceil(3) = 3
  EXPECT_EQ(Allowed(Pdb("  minAvailable: \"100%\"\n"), pods), 0);
  EXPECT_EQ(Allowed(Pdb("  maxUnavailable: 3\n"), pods), 1);        // desired 6 - 3 = 3
  EXPECT_EQ(Allowed(Pdb("  maxUnavailable: \"34%\"\n"), pods), 1);  // ceil(2.04) = 3
  EXPECT_EQ(Allowed(Pdb("  maxUnavailable: 0\n"), pods), 0);
  EXPECT_EQ(Allowed(Pdb("  maxUnavailable: 10\n"), pods), 4);  // desired clamps at 0
  EXPECT_EQ(Allowed(Pdb(""), pods), 0);                        // neither field
  EXPECT_EQ(Allowed(Pdb("  minAvailable: 0\n"), {}), 0);       // nothing expected
}

TEST(PdbLimits, SelectorsAndNamespaces) {
  api::PodDisruptionBudget pdb = Pdb("  minAvailable: 1\n");
  EXPECT_TRUE(Selects(pdb, RunningPod("default", "w", "n1", {{"app", "web"}})));
  EXPECT_FALSE(Selects(pdb, RunningPod("other", "w", "n1", {{"app", "web"}})));
  EXPECT_FALSE(Selects(pdb, RunningPod("default", "w", "n1", {{"app", "api"}})));
  pdb.selector = core::LabelSelector{};  // empty: every pod of the namespace
  EXPECT_TRUE(Selects(pdb, RunningPod("default", "w", "n1", {{"app", "api"}})));
  pdb.selector.reset();  // missing: no pod
  EXPECT_FALSE(Selects(pdb, RunningPod("default", "w", "n1", {{"app", "web"}})));
}

TEST(PdbLimits, ComputedFromEveryPodOfTheSnapshot) {
  Snapshot snapshot;
  snapshot.nodes.push_back(testing::ManagedNode("n1", "default", 0));
  snapshot.nodes.push_back(testing::ManagedNode("n2", "default", 0));
  snapshot.nodes[0].pods.push_back(
      testing::Share(RunningPod("default", "web-0", "n1", {{"app", "web"}})));
  snapshot.nodes[1].pods.push_back(
      testing::Share(RunningPod("default", "web-1", "n2", {{"app", "web"}})));
  snapshot.pdbs.push_back(Pdb("  minAvailable: 1\n"));
  PdbLimits limits(snapshot);
  EXPECT_EQ(limits.disruptions_allowed(0), 1);
  EXPECT_EQ(limits.EvictionBlocked(*snapshot.nodes[0].pods[0], snapshot.now), std::nullopt);
  testing::Edit(snapshot.nodes[1].pods[0]).status.conditions.front().status = "False";
  PdbLimits tighter(snapshot);
  EXPECT_EQ(tighter.disruptions_allowed(0), 0);
  EXPECT_EQ(tighter.EvictionBlocked(*snapshot.nodes[0].pods[0], snapshot.now),
            "PDB default/web allows 0 disruptions (pod default/web-0)");
}

}  // namespace
}  // namespace karpenter::disruption
