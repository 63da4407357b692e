#include "disruption/drift.h"

#include <gtest/gtest.h>

#include "disruption/nodepool_hash.h"
#include "disruption_test_util.h"

namespace karpenter::disruption {
namespace {

using testing::At;
using testing::Seconds;

api::NodePool Pool() {
  return testing::NodePoolYaml(R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: general}
spec:
  template:
    metadata:
      labels: {team: a}
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      taints:
        - {key: dedicated, value: general, effect: NoSchedule}
        - {key: gpu, effect: NoExecute}
      requirements:
        - {key: kubernetes.io/arch, operator: In, values: [amd64]}
        - {key: karpenter.sh/capacity-type, operator: In, values: [spot, on-demand]}
  disruption:
    consolidateAfter: 0s
)");
}

TEST(NodePoolHash, HashesTheTemplateWithoutRequirements) {
  const api::NodePool pool = Pool();
  const std::string hash = NodePoolTemplateHash(pool);
  EXPECT_EQ(hash, NodePoolTemplateHash(Pool()));
  api::NodePool changed = Pool();
  changed.spec.template_.spec.requirements.clear();
  changed.spec.disruption.budgets.push_back(api::Budget{});
  EXPECT_EQ(NodePoolTemplateHash(changed), hash);  // neither is hashed
  std::swap(changed.spec.template_.spec.taints[0], changed.spec.template_.spec.taints[1]);
  EXPECT_EQ(NodePoolTemplateHash(changed), hash);  // taints are a set
  changed.spec.template_.spec.expire_after = core::NillableDuration(std::chrono::hours(720));
  EXPECT_EQ(NodePoolTemplateHash(changed), hash);  // the CRD default, written out
  changed.spec.template_.spec.expire_after = core::NillableDuration(std::chrono::hours(24));
  EXPECT_NE(NodePoolTemplateHash(changed), hash);
  changed = Pool();
  changed.spec.template_.metadata.labels["team"] = "b";
  EXPECT_NE(NodePoolTemplateHash(changed), hash);
  changed = Pool();
  changed.spec.template_.spec.node_class_ref.name = "other";
  EXPECT_NE(NodePoolTemplateHash(changed), hash);
  changed = Pool();
  changed.spec.template_.spec.termination_grace_period = std::chrono::hours(1);
  EXPECT_NE(NodePoolTemplateHash(changed), hash);
  // Moving a text between a label key and value changes the hash.
  changed = Pool();
  changed.spec.template_.metadata.labels = {{"teama", ""}};
  EXPECT_NE(NodePoolTemplateHash(changed), hash);
}

api::NodeClaim Stamped(const std::string& version, const std::string& hash) {
  api::NodeClaim claim;
  if (!version.empty()) claim.metadata.annotations["karpenter.sh/nodepool-hash-version"] = version;
  if (!hash.empty()) claim.metadata.annotations["karpenter.sh/nodepool-hash"] = hash;
  return claim;
}

TEST(NodePoolHash, StaticDriftAndHashVersions) {
  const api::NodePool pool = Pool();
  const std::string ours(kNodePoolHashVersion);
  const std::string hash = NodePoolTemplateHash(pool);
  EXPECT_EQ(CheckStaticDrift(pool, Stamped(ours, hash)), StaticDrift::kNone);
  EXPECT_EQ(CheckStaticDrift(pool, Stamped(ours, "123")), StaticDrift::kDrifted);
  EXPECT_EQ(CheckStaticDrift(pool, Stamped(ours, "")), StaticDrift::kNone);
  // Stamped by upstream (or unstamped): never compared by value.
  EXPECT_EQ(CheckStaticDrift(pool, Stamped("v3", "123")), StaticDrift::kNone);
  EXPECT_EQ(CheckStaticDrift(pool, Stamped("", "")), StaticDrift::kNone);
  EXPECT_EQ(RestampAnnotations(pool, Stamped("v3", "123")),
            (std::map<std::string, std::string>{{"karpenter.sh/nodepool-hash", hash},
                                                {"karpenter.sh/nodepool-hash-version", ours}}));
  EXPECT_EQ(RestampAnnotations(pool, Stamped(ours, "123")), std::nullopt);
  // Already drifted: stays drifted, and keeps its old hash when re-stamped.
  api::NodeClaim drifted = Stamped("v3", "123");
  drifted.status.conditions.push_back(testing::MakeCondition("Drifted", "True", 0));
  EXPECT_EQ(CheckStaticDrift(pool, drifted), StaticDrift::kDriftedBeforeVersionChange);
  EXPECT_EQ(RestampAnnotations(pool, drifted),
            (std::map<std::string, std::string>{{"karpenter.sh/nodepool-hash-version", ours}}));
}

api::Budget CountBudget(int32_t nodes) {
  api::Budget budget;
  budget.nodes = api::IntOrPercent::Count(nodes);
  return budget;
}

class DriftTest : public ::testing::Test {
 protected:
  DriftTest() {
    snapshot_.now = At("2024-05-27T12:00:00Z");
    snapshot_.node_pools = {Pool()};
    std::vector<catalog::Offering> offerings(1);
    offerings[0].zone = "us-west-2a";
    offerings[0].capacity_type = catalog::CapacityType::kSpot;
    offerings[0].price = 0.04;
    offerings[0].available = true;
    core::Requirements requirements = core::Requirements::FromNodeSelector(
        {{"node.kubernetes.io/instance-type", "m5.large"}, {"kubernetes.io/arch", "amd64"}});
    std::vector<catalog::InstanceType> types;
    types.push_back(
        catalog::InstanceType::WithRequirements("m5.large", {}, {}, requirements, offerings));
    snapshot_.catalog = std::make_shared<const catalog::Catalog>(
        catalog::Catalog::Create(std::move(types)).value());
    snapshot_.node_classes.push_back(testing::NodeClassYaml(R"(apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata: {name: default}
spec:
  amiFamily: AL2023
  role: node-role
  amiSelectorTerms: [{alias: al2023@latest}]
  subnetSelectorTerms: [{id: subnet-a}]
  securityGroupSelectorTerms: [{id: sg-a}]
status:
  amis:
    - id: ami-amd
      name: al2023-amd
      requirements: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]
    - id: ami-arm
      name: al2023-arm
      requirements: [{key: kubernetes.io/arch, operator: In, values: [arm64]}]
  subnets: [{id: subnet-a, zone: us-west-2a}, {id: subnet-b, zone: us-west-2b}]
  securityGroups: [{id: sg-a}, {id: sg-b}]
)"));
  }

  // A node of the pool that matches everything: not drifted.
  SnapshotNode& Add(const std::string& name) {
    SnapshotNode node = testing::ManagedNode(name, "general", Seconds("2024-05-27T00:00:00Z"));
    core::Labels labels = node.node->metadata.labels;
    labels["kubernetes.io/arch"] = "amd64";
    labels["karpenter.sh/capacity-type"] = "spot";
    labels["topology.kubernetes.io/zone"] = "us-west-2a";
    testing::Edit(node.node).metadata.labels = labels;
    api::NodeClaim& claim = testing::Edit(node.node_claim);
    claim.metadata.labels = labels;
    claim.metadata.annotations = {
        {"karpenter.sh/nodepool-hash", NodePoolTemplateHash(snapshot_.node_pools[0])},
        {"karpenter.sh/nodepool-hash-version", std::string(kNodePoolHashVersion)}};
    claim.spec.node_class_ref = {"karpenter.k8s.aws", "EC2NodeClass", "default"};
    claim.status.image_id = "ami-amd";
    node.instance.subnet_id = "subnet-b";
    node.instance.security_group_ids = {"sg-b", "sg-a"};
    snapshot_.nodes.push_back(std::move(node));
    return snapshot_.nodes.back();
  }

  std::optional<Drift> Detect() {
    return DetectDrift(snapshot_, snapshot_.nodes.back(), snapshot_.node_pools[0]);
  }

  std::string Reason() {
    std::optional<Drift> drift = Detect();
    return drift ? std::string(ToString(drift->reason)) + ": " + drift->detail : "";
  }

  Snapshot snapshot_;
};

TEST_F(DriftTest, AMatchingNodeHasNotDrifted) {
  Add("n1");
  EXPECT_EQ(Reason(), "");
}

TEST_F(DriftTest, TemplateChange) {
  Add("n1");
  snapshot_.node_pools[0].spec.template_.metadata.labels["team"] = "b";
  EXPECT_EQ(Reason(), "NodePoolDrifted: NodePool \"general\" template changed");
}

TEST_F(DriftTest, RequirementsChange) {
  Add("n1");
  snapshot_.node_pools[0].spec.template_.spec.requirements[1].values = {"on-demand"};
  EXPECT_EQ(Reason(),
            "RequirementsDrifted: labels no longer satisfy NodePool \"general\" "
            "requirements: key karpenter.sh/capacity-type, karpenter.sh/capacity-type In "
            "[on-demand] not in karpenter.sh/capacity-type In [spot]");
  // Requirement changes are not template drift: the hash ignores them.
  EXPECT_EQ(CheckStaticDrift(snapshot_.node_pools[0], *snapshot_.nodes.back().node_claim),
            StaticDrift::kNone);
}

TEST_F(DriftTest, InstanceTypeGone) {
  testing::Edit(Add("n1").node_claim).metadata.labels["node.kubernetes.io/instance-type"] =
      "m4.large";
  EXPECT_EQ(Reason(), "InstanceTypeNotFound: instance type \"m4.large\" is not in the catalog");
  snapshot_.nodes.clear();
  testing::Edit(Add("n1").node_claim).metadata.labels["topology.kubernetes.io/zone"] = "us-west-2b";
  EXPECT_EQ(Reason(),
            "InstanceTypeNotFound: instance type \"m5.large\" has no offering in zone "
            "\"us-west-2b\" as spot");
  snapshot_.catalog.reset();  // without a catalog the check is skipped
  EXPECT_EQ(Reason(), "");
}

TEST_F(DriftTest, NodeClassDrift) {
  testing::Edit(Add("n1").node_claim).status.image_id = "ami-old";
  EXPECT_EQ(Reason(),
            "AMIDrift: AMI \"ami-old\" is not among EC2NodeClass \"default\" AMIs for "
            "the type");
  // An AMI of the NodeClass that does not suit the node's type counts as drifted too.
  testing::Edit(snapshot_.nodes.back().node_claim).status.image_id = "ami-arm";
  EXPECT_EQ(Reason(),
            "AMIDrift: AMI \"ami-arm\" is not among EC2NodeClass \"default\" AMIs for "
            "the type");
  testing::Edit(snapshot_.nodes.back().node_claim).status.image_id = "ami-amd";
  snapshot_.nodes.back().instance.subnet_id = "subnet-z";
  EXPECT_EQ(Reason(),
            "SubnetDrift: subnet \"subnet-z\" is not among EC2NodeClass \"default\" subnets");
  snapshot_.nodes.back().instance.subnet_id.reset();
  snapshot_.nodes.back().instance.security_group_ids = {"sg-a"};
  EXPECT_EQ(Reason(),
            "SecurityGroupDrift: security groups differ from EC2NodeClass \"default\" "
            "security groups");
  snapshot_.nodes.back().instance.security_group_ids.reset();
  EXPECT_EQ(Reason(), "");
}

TEST_F(DriftTest, OrderedEmptyFirstThenByDriftTimeAndBudgeted) {
  snapshot_.node_pools[0].spec.disruption.budgets = {CountBudget(2)};
  for (const char* name : {"busy-old", "empty-new", "empty-old", "busy-new", "fine"}) Add(name);
  for (SnapshotNode& node : snapshot_.nodes) {
    if (node.Name() == "fine") continue;
    testing::Edit(node.node_claim).status.image_id = "ami-old";
    if (node.Name().ends_with("-old")) {
      testing::Edit(node.node_claim)
          .status.conditions.push_back(
              testing::MakeCondition("Drifted", "True", Seconds("2024-05-27T08:00:00Z")));
    }
    if (node.Name().starts_with("busy")) {
      node.pods.push_back(
          testing::Share(testing::RunningPod("default", "web-" + node.Name(), node.Name())));
    }
  }
  CandidateSet set = FindCandidates(snapshot_);
  ASSERT_EQ(set.candidates.size(), 5u);
  std::vector<DriftedCandidate> drifted = FindDrifted(snapshot_, set.candidates);
  std::vector<std::string> order;
  for (const DriftedCandidate& entry : drifted) order.push_back(entry.candidate->Name());
  EXPECT_EQ(order, (std::vector<std::string>{"empty-old", "empty-new", "busy-old", "busy-new"}));
  EXPECT_EQ(drifted[0].drifted_since, At("2024-05-27T08:00:00Z"));
  EXPECT_EQ(drifted[1].drifted_since, snapshot_.now);

  DriftDecision decision =
      ComputeDrift(drifted, BuildBudgetMapping(snapshot_, api::DisruptionReason::kDrifted));
  EXPECT_EQ(decision.command,
            (Command{Method::kDrift, "Drifted", {"empty-old", "empty-new"}, {}, std::nullopt}));
  EXPECT_TRUE(decision.to_replace.empty());
  ASSERT_EQ(decision.blocked.size(), 2u);
  EXPECT_EQ(decision.blocked[0],
            (BlockedNode{"busy-old",
                         "budget for reason Drifted in NodePool \"general\" is "
                         "exhausted (2 of 5 nodes may be disrupted at once)"}));
  // With room left, non-empty drifted nodes are handed over for replacement, in order; only
  // one will be replaced per pass, so they do not count the budget down.
  snapshot_.node_pools[0].spec.disruption.budgets = {CountBudget(3)};
  decision = ComputeDrift(drifted, BuildBudgetMapping(snapshot_, api::DisruptionReason::kDrifted));
  ASSERT_EQ(decision.to_replace.size(), 2u);
  EXPECT_EQ(decision.to_replace[0].candidate->Name(), "busy-old");
  EXPECT_EQ(decision.to_replace[1].candidate->Name(), "busy-new");
  EXPECT_TRUE(decision.blocked.empty());
}

}  // namespace
}  // namespace karpenter::disruption
