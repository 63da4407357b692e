#include "disruption/candidates.h"

#include <gtest/gtest.h>

#include "disruption_test_util.h"

namespace karpenter::disruption {
namespace {

using testing::At;
using testing::MakeNodePool;
using testing::ManagedNode;
using testing::PdbYaml;
using testing::PodYaml;
using testing::RunningPod;

class CandidatesTest : public ::testing::Test {
 protected:
  CandidatesTest() {
    snapshot_.now = At("2024-05-27T12:00:00Z");
    snapshot_.node_pools = {MakeNodePool("default")};
  }

  SnapshotNode& Add(const std::string& name) {
    snapshot_.nodes.push_back(
        ManagedNode(name, "default", testing::Seconds("2024-05-27T00:00:00Z")));
    return snapshot_.nodes.back();
  }

  // The single blocked node's reason ("" when it is a candidate).
  std::string Reason() {
    CandidateSet set = FindCandidates(snapshot_);
    EXPECT_EQ(set.candidates.size() + set.blocked.size(), 1u);
    return set.blocked.empty() ? "" : set.blocked.front().reason;
  }

  Snapshot snapshot_;
};

TEST_F(CandidatesTest, AManagedInitializedNodeIsACandidate) {
  SnapshotNode& node = Add("n1");
  node.pods.push_back(testing::Share(RunningPod("default", "web-0", "n1")));
  CandidateSet set = FindCandidates(snapshot_);
  ASSERT_EQ(set.candidates.size(), 1u);
  EXPECT_TRUE(set.blocked.empty());
  const Candidate& candidate = set.candidates.front();
  EXPECT_EQ(candidate.Name(), "n1");
  EXPECT_EQ(candidate.node_pool, &snapshot_.node_pools.front());
  ASSERT_EQ(candidate.reschedulable_pods.size(), 1u);
  EXPECT_EQ(candidate.reschedulable_pods.front()->metadata.name, "web-0");
  EXPECT_EQ(candidate.instance_type, nullptr);  // no catalog in this snapshot
  // One pod of cost 1; the NodePool's expireAfter defaults to 720h and the node is 12h old.
  EXPECT_DOUBLE_EQ(candidate.disruption_cost, 1.0 * (708.0 / 720.0));
}

TEST_F(CandidatesTest, NodeRules) {
  Add("n1").node_claim.reset();
  EXPECT_EQ(Reason(), "node is not managed by Karpenter (it has no NodeClaim)");
  snapshot_.nodes.clear();
  Add("n1").node.reset();
  EXPECT_EQ(Reason(), "NodeClaim has no registered Node yet");
  snapshot_.nodes.clear();
  Add("n1").initialized = false;
  EXPECT_EQ(Reason(), "node is not initialized yet (no karpenter.sh/initialized: \"true\" label)");
  snapshot_.nodes.clear();
  Add("n1").deleting = true;
  EXPECT_EQ(Reason(), "node is already being deleted or disrupted");
  snapshot_.nodes.clear();
  Add("n1").nominated = true;
  EXPECT_EQ(Reason(), "node is nominated for pending pods");
  snapshot_.nodes.clear();
  testing::Edit(Add("n1").node).metadata.annotations["karpenter.sh/do-not-disrupt"] = "true";
  EXPECT_EQ(Reason(), "node has karpenter.sh/do-not-disrupt: \"true\"");
  testing::Edit(snapshot_.nodes.back().node).metadata.annotations["karpenter.sh/do-not-disrupt"] =
      "false";
  EXPECT_EQ(Reason(), "");
  snapshot_.nodes.clear();
  Add("n1").node_pool = "";
  EXPECT_EQ(Reason(), "node has no karpenter.sh/nodepool label");
  snapshot_.nodes.clear();
  Add("n1").node_pool = "gone";
  EXPECT_EQ(Reason(), "NodePool \"gone\" not found");
}

TEST_F(CandidatesTest, PodDoNotDisruptTrueBlocks) {
  SnapshotNode& node = Add("n1");
  node.pods.push_back(testing::Share(RunningPod("default", "web-0", "n1")));
  node.pods.push_back(testing::Share(PodYaml(R"(apiVersion: v1
kind: Pod
metadata:
  name: db-0
  namespace: default
  annotations:
    karpenter.sh/do-not-disrupt: "true"
spec:
  nodeName: n1
  containers: [{name: db}]
status:
  phase: Running
)")));
  EXPECT_EQ(Reason(), "pod default/db-0 has karpenter.sh/do-not-disrupt");
  // A terminal pod's annotation no longer protects anything.
  testing::Edit(snapshot_.nodes.back().pods.back()).status.phase = "Succeeded";
  EXPECT_EQ(Reason(), "");
}

TEST_F(CandidatesTest, PodDoNotDisruptDurationRunsFromTheStartTime) {
  SnapshotNode& node = Add("n1");
  node.pods.push_back(testing::Share(PodYaml(R"(apiVersion: v1
kind: Pod
metadata:
  name: batch-0
  namespace: jobs
  annotations:
    karpenter.sh/do-not-disrupt: "2h"
spec:
  nodeName: n1
  containers: [{name: job}]
status:
  phase: Running
  startTime: "2024-05-27T10:30:00Z"
)")));
  snapshot_.now = At("2024-05-27T12:29:59Z");
  EXPECT_EQ(Reason(),
            "pod jobs/batch-0 has karpenter.sh/do-not-disrupt: \"2h\" until 2024-05-27T12:30:00Z");
  snapshot_.now = At("2024-05-27T12:30:00Z");
  EXPECT_EQ(Reason(), "");
  // Without a start time the protection holds (upstream fails safe).
  testing::Edit(snapshot_.nodes.back().pods.back()).status.start_time.reset();
  EXPECT_EQ(Reason(),
            "pod jobs/batch-0 has karpenter.sh/do-not-disrupt: \"2h\" and the pod's start time is "
            "unknown");
  // Values that are neither "true" nor a positive duration are ignored.
  for (const char* value : {"false", "yes", "0s", "-1h"}) {
    testing::Edit(snapshot_.nodes.back().pods.back())
        .metadata.annotations["karpenter.sh/do-not-disrupt"] = value;
    EXPECT_EQ(Reason(), "") << value;
  }
}

constexpr std::string_view kWebPdbMaxUnavailableZero = R"(apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: default
spec:
  maxUnavailable: 0
  selector:
    matchLabels:
      app: web
)";

TEST_F(CandidatesTest, PdbWithMaxUnavailableZeroBlocks) {
  snapshot_.pdbs.push_back(PdbYaml(kWebPdbMaxUnavailableZero));
  Add("n1").pods.push_back(testing::Share(RunningPod("default", "web-0", "n1", {{"app", "web"}})));
  Add("n2").pods.push_back(testing::Share(RunningPod("default", "api-0", "n2", {{"app", "api"}})));
  CandidateSet set = FindCandidates(snapshot_);
  ASSERT_EQ(set.blocked.size(), 1u);
  EXPECT_EQ(set.blocked.front(),
            (BlockedNode{"n1", "PDB default/web allows 0 disruptions (pod default/web-0)"}));
  ASSERT_EQ(set.candidates.size(), 1u);
  EXPECT_EQ(set.candidates.front().Name(), "n2");
}

TEST_F(CandidatesTest, PdbStatusIsReadWhenPresent) {
  api::PodDisruptionBudget pdb = PdbYaml(kWebPdbMaxUnavailableZero);
  pdb.status = api::PodDisruptionBudgetStatus{};
  pdb.status->disruptions_allowed = 1;  // the status, however stale, is what upstream reads
  snapshot_.pdbs.push_back(pdb);
  Add("n1").pods.push_back(testing::Share(RunningPod("default", "web-0", "n1", {{"app", "web"}})));
  EXPECT_EQ(Reason(), "");
}

TEST_F(CandidatesTest, APodUnderTwoPdbsBlocks) {
  snapshot_.pdbs.push_back(PdbYaml(R"(apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web-a, namespace: default}
spec:
  maxUnavailable: 5
  selector: {matchLabels: {app: web}}
)"));
  snapshot_.pdbs.push_back(PdbYaml(R"(apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web-b, namespace: default}
spec:
  maxUnavailable: "100%"
  selector: {matchLabels: {tier: front}}
)"));
  Add("n1").pods.push_back(
      testing::Share(RunningPod("default", "web-0", "n1", {{"app", "web"}, {"tier", "front"}})));
  EXPECT_EQ(Reason(),
            "pod default/web-0 is selected by more than one PDB (default/web-a, default/web-b), "
            "which the eviction API refuses");
}

TEST_F(CandidatesTest, PdbsOnlyApplyToPodsKarpenterWouldEvict) {
  snapshot_.pdbs.push_back(PdbYaml(kWebPdbMaxUnavailableZero));
  SnapshotNode& node = Add("n1");
  // Tolerates karpenter.sh/disrupted:NoSchedule (as DaemonSet pods do): never evicted.
  api::Pod tolerant = RunningPod("default", "web-ds", "n1", {{"app", "web"}});
  core::Toleration all;
  all.op = core::TolerationOperator::Exists;
  tolerant.spec.tolerations.push_back(all);
  node.pods.push_back(testing::Share(tolerant));
  // A mirror pod and a terminal pod are not evicted either.
  api::Pod mirror = RunningPod("default", "web-static", "n1", {{"app", "web"}});
  mirror.metadata.owner_references.push_back({"v1", "Node", "n1", "", true, false});
  node.pods.push_back(testing::Share(mirror));
  api::Pod done = RunningPod("default", "web-done", "n1", {{"app", "web"}});
  done.status.phase = "Failed";
  node.pods.push_back(testing::Share(done));
  EXPECT_EQ(Reason(), "");
  // Nor do PDBs of another namespace.
  snapshot_.nodes.back().pods.push_back(
      testing::Share(RunningPod("other", "web-1", "n1", {{"app", "web"}})));
  EXPECT_EQ(Reason(), "");
}

TEST_F(CandidatesTest, AlwaysAllowLetsUnreadyPodsGo) {
  api::PodDisruptionBudget pdb = PdbYaml(kWebPdbMaxUnavailableZero);
  pdb.unhealthy_pod_eviction_policy = api::UnhealthyPodEvictionPolicy::kAlwaysAllow;
  snapshot_.pdbs.push_back(pdb);
  api::Pod unready = RunningPod("default", "web-0", "n1", {{"app", "web"}});
  unready.status.conditions.front().status = "False";
  Add("n1").pods.push_back(testing::Share(unready));
  EXPECT_EQ(Reason(), "");
  snapshot_.pdbs.front().unhealthy_pod_eviction_policy.reset();
  EXPECT_EQ(Reason(), "PDB default/web allows 0 disruptions (pod default/web-0)");
}

TEST_F(CandidatesTest, ReschedulablePodsLeaveOutDaemonSetMirrorAndFinishedPods) {
  SnapshotNode& node = Add("n1");
  api::Pod daemon = RunningPod("kube-system", "aws-node-x", "n1");
  daemon.metadata.owner_references.push_back({"apps/v1", "DaemonSet", "aws-node", "", true, false});
  api::Pod mirror = RunningPod("kube-system", "static-x", "n1");
  mirror.metadata.owner_references.push_back({"v1", "Node", "n1", "", true, false});
  api::Pod finished = RunningPod("default", "job-x", "n1");
  finished.status.phase = "Succeeded";
  api::Pod terminating = RunningPod("default", "web-x", "n1");
  terminating.metadata.deletion_timestamp = 1;
  api::Pod stateful = RunningPod("default", "db-0", "n1");
  stateful.metadata.owner_references.push_back({"apps/v1", "StatefulSet", "db", "", true, false});
  stateful.metadata.deletion_timestamp = 1;
  api::Pod plain = RunningPod("default", "web-y", "n1");
  node.pods =
      ShareAll(std::vector<api::Pod>{daemon, mirror, finished, terminating, stateful, plain});
  CandidateSet set = FindCandidates(snapshot_);
  ASSERT_EQ(set.candidates.size(), 1u);
  std::vector<std::string> names;
  for (const api::Pod* pod : set.candidates.front().reschedulable_pods) {
    names.push_back(pod->metadata.name);
  }
  // A terminating StatefulSet pod still needs a home, as upstream counts it.
  EXPECT_EQ(names, (std::vector<std::string>{"db-0", "web-y"}));
}

}  // namespace
}  // namespace karpenter::disruption
