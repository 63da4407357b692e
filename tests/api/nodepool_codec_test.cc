#include <chrono>

#include <gtest/gtest.h>

#include "api/codec/node_pool_codec.h"
#include "karpenter_codec_test_util.h"

namespace karpenter::api {
namespace {

using namespace std::chrono_literals;
using codec::DecodeNodePool;
using codec::EncodeNodePool;
using core::NillableDuration;
using core::NodeSelectorRequirement;
using core::Operator;
using core::Quantity;
using core::Taint;
using core::TaintEffect;
using karpenter_codec_testing::Describe;
using karpenter_codec_testing::RepoFile;
using karpenter_codec_testing::Yaml;

Quantity Q(std::string_view text) { return *Quantity::Parse(text); }

TEST(NodePoolCodecTest, DecodesGeneralPurposeExample) {
  std::vector<Json> documents = RepoFile("examples/general-purpose.yaml");
  ASSERT_EQ(documents.size(), 2u);
  FieldErrors errors;
  NodePool pool = DecodeNodePool(documents[1], errors);
  EXPECT_TRUE(errors.empty()) << ::testing::PrintToString(Describe(errors));

  EXPECT_EQ(pool.metadata.name, "general-purpose");
  EXPECT_TRUE(pool.metadata.labels.empty());
  EXPECT_EQ(pool.spec.template_.metadata.labels, (Labels{{"purpose", "general-purpose"}}));
  EXPECT_TRUE(pool.spec.template_.metadata.annotations.empty());

  const NodeClaimTemplateSpec& spec = pool.spec.template_.spec;
  EXPECT_EQ(spec.node_class_ref,
            (NodeClassReference{"karpenter.k8s.aws", "EC2NodeClass", "general-purpose"}));
  EXPECT_EQ(spec.taints, (std::vector<Taint>{{"dedicated", "general-purpose",
                                              TaintEffect::NoSchedule}}));
  EXPECT_TRUE(spec.startup_taints.empty());
  EXPECT_EQ(spec.expire_after, NillableDuration(24h));
  EXPECT_EQ(spec.termination_grace_period, std::nullopt);
  EXPECT_EQ(spec.requirements,
            (std::vector<NodeSelectorRequirement>{
                {"karpenter.k8s.aws/instance-category", Operator::In, {"c", "m", "r"}, {}},
                {"karpenter.sh/capacity-type", Operator::In, {"spot", "on-demand"}, {}},
                {"kubernetes.io/arch", Operator::In, {"amd64"}, {}},
            }));

  const Disruption& disruption = pool.spec.disruption;
  EXPECT_EQ(disruption.consolidation_policy, ConsolidationPolicy::kWhenEmptyOrUnderutilized);
  ASSERT_TRUE(disruption.consolidate_after.has_value());
  EXPECT_EQ(disruption.consolidate_after->value(), std::chrono::nanoseconds(0));
  ASSERT_EQ(disruption.budgets.size(), 2u);
  EXPECT_EQ(disruption.budgets[0], (Budget{IntOrPercent::Percent(10), {}, {}, {}}));
  EXPECT_EQ(disruption.budgets[1],
            (Budget{IntOrPercent::Count(0), {}, std::string("0 23 * * *"), 20h}));

  EXPECT_TRUE(pool.spec.limits.empty());
  EXPECT_EQ(pool.spec.weight, std::nullopt);
  EXPECT_EQ(pool.spec.replicas, std::nullopt);
  EXPECT_EQ(pool.status, NodePoolStatus{});

  EXPECT_JSON_EQ(EncodeNodePool(pool), documents[1]);
}

constexpr const char* kFullNodePool = R"(
apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: gpu
  labels: {team: ml}
  annotations: {karpenter.sh/nodepool-hash: "12345"}
spec:
  template:
    metadata:
      labels: {nvidia.com/gpu: "true", tier: batch}
      annotations: {example.com/owner: ml-platform}
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: gpu}
      taints:
        - {key: nvidia.com/gpu, effect: NoSchedule}
      startupTaints:
        - {key: node.example.com/initializing, value: "yes", effect: NoExecute}
      requirements:
        - key: karpenter.k8s.aws/instance-family
          operator: In
          values: [g5, g6, p4d]
          minValues: 2
        - {key: karpenter.k8s.aws/instance-gpu-count, operator: Gt, values: ["0"]}
        - {key: karpenter.k8s.aws/instance-memory, operator: Lte, values: ["262144"]}
        - {key: karpenter.k8s.aws/instance-hypervisor, operator: Exists}
        - {key: topology.kubernetes.io/zone, operator: NotIn, values: [us-west-2d]}
      expireAfter: Never
      terminationGracePeriod: 1h30m
  disruption:
    consolidationPolicy: WhenEmpty
    consolidateAfter: 10m
    budgets:
      - nodes: "5"
        reasons: [Drifted, Underutilized]
      - nodes: 100%
        reasons: [Empty]
        schedule: "@daily"
        duration: 1h
  limits:
    cpu: 1000
    memory: 1000Gi
    nvidia.com/gpu: "64"
  weight: 50
status:
  resources: {cpu: "96", memory: 384Gi, nodes: "2"}
  nodes: 2
  nodeClassObservedGeneration: 3
  conditions:
    - type: Ready
      status: "True"
      observedGeneration: 7
      lastTransitionTime: "2024-05-27T10:00:00Z"
      reason: Ready
      message: ""
    - type: NodeClassReady
      status: "False"
      lastTransitionTime: "2024-05-27T10:01:30Z"
      reason: NodeClassNotReady
      message: EC2NodeClass gpu is not ready
)";

TEST(NodePoolCodecTest, DecodesEveryField) {
  Json input = Yaml(kFullNodePool);
  FieldErrors errors;
  NodePool pool = DecodeNodePool(input, errors);
  EXPECT_TRUE(errors.empty()) << ::testing::PrintToString(Describe(errors));

  EXPECT_EQ(pool.metadata.name, "gpu");
  EXPECT_EQ(pool.metadata.labels, (Labels{{"team", "ml"}}));
  EXPECT_EQ(pool.spec.template_.metadata,
            (NodeClaimTemplateMetadata{{{"nvidia.com/gpu", "true"}, {"tier", "batch"}},
                                       {{"example.com/owner", "ml-platform"}}}));
  NodeClaimTemplateSpec expected_spec;
  expected_spec.node_class_ref = {"karpenter.k8s.aws", "EC2NodeClass", "gpu"};
  expected_spec.taints = {{"nvidia.com/gpu", "", TaintEffect::NoSchedule}};
  expected_spec.startup_taints = {{"node.example.com/initializing", "yes", TaintEffect::NoExecute}};
  expected_spec.requirements = {
      {"karpenter.k8s.aws/instance-family", Operator::In, {"g5", "g6", "p4d"}, 2},
      {"karpenter.k8s.aws/instance-gpu-count", Operator::Gt, {"0"}, {}},
      {"karpenter.k8s.aws/instance-memory", Operator::Lte, {"262144"}, {}},
      {"karpenter.k8s.aws/instance-hypervisor", Operator::Exists, {}, {}},
      {"topology.kubernetes.io/zone", Operator::NotIn, {"us-west-2d"}, {}},
  };
  expected_spec.expire_after = NillableDuration::Never();
  expected_spec.termination_grace_period = 90min;
  EXPECT_EQ(pool.spec.template_.spec, expected_spec);
  EXPECT_TRUE(pool.spec.template_.spec.ExpireAfter().IsNever());

  Disruption expected_disruption;
  expected_disruption.consolidation_policy = ConsolidationPolicy::kWhenEmpty;
  expected_disruption.consolidate_after = NillableDuration(10min);
  expected_disruption.budgets = {
      {IntOrPercent::Count(5),
       {DisruptionReason::kDrifted, DisruptionReason::kUnderutilized},
       std::nullopt,
       std::nullopt},
      {IntOrPercent::Percent(100), {DisruptionReason::kEmpty}, std::string("@daily"), 1h},
  };
  EXPECT_EQ(pool.spec.disruption, expected_disruption);
  EXPECT_EQ(pool.spec.limits,
            (core::ResourceList{{"cpu", Q("1000")}, {"memory", Q("1000Gi")},
                                {"nvidia.com/gpu", Q("64")}}));
  EXPECT_EQ(pool.spec.weight, 50);
  EXPECT_EQ(pool.spec.replicas, std::nullopt);

  NodePoolStatus expected_status;
  expected_status.resources = {{"cpu", Q("96")}, {"memory", Q("384Gi")}, {"nodes", Q("2")}};
  expected_status.nodes = 2;
  expected_status.node_class_observed_generation = 3;
  expected_status.conditions = {
      {"Ready", "True", 7, 1716804000, "Ready", ""},
      {"NodeClassReady", "False", 0, 1716804090, "NodeClassNotReady",
       "EC2NodeClass gpu is not ready"},
  };
  EXPECT_EQ(pool.status, expected_status);
  EXPECT_TRUE(pool.status.conditions[0].IsTrue());
  EXPECT_EQ(FindCondition(pool.status.conditions, "NodeClassReady"), &pool.status.conditions[1]);
  EXPECT_EQ(FindCondition(pool.status.conditions, "Drifted"), nullptr);

  EXPECT_JSON_EQ(EncodeNodePool(pool), input);
}

TEST(NodePoolCodecTest, DecodesStaticNodePoolReplicas) {
  FieldErrors errors;
  NodePool pool = DecodeNodePool(Yaml(R"(
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: static}
spec:
  replicas: 4
  limits: {nodes: "10"}
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements: []
)"),
                                 errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(pool.spec.replicas, 4);
  EXPECT_EQ(pool.spec.limits, (core::ResourceList{{"nodes", Q("10")}}));
}

// Unknown fields everywhere, unusual key order and non-canonical spellings ("1.5Gi", `cpu: 4`,
// "1h0m", "2024-05-27T10:00:00.5Z", "07%"-free but "010"): all come back exactly.
TEST(NodePoolCodecTest, RoundTripKeepsUnknownFieldsOrderAndSpelling) {
  Json input = Yaml(R"(
kind: NodePool
x-top: {a: 1}
apiVersion: karpenter.sh/v1
status:
  conditions:
    - {message: m, reason: R, status: Unknown, type: Ready, lastTransitionTime: "2024-05-27T10:00:00.5Z", x-cond: 1}
  futureStatus: true
spec:
  weight: 10
  x-spec: [1, 2]
  limits: {memory: 1.5Gi, cpu: 4}
  disruption:
    budgets:
      - {schedule: "0 9 * * mon-fri", nodes: "010", duration: 1h0m, x-budget: keep}
    consolidateAfter: 1h0m0s
    x-disruption: 1
  template:
    spec:
      requirements:
        - {values: [a], key: k, operator: In, x-req: 1}
      expireAfter: 720h
      nodeClassRef: {name: n, kind: EC2NodeClass, group: karpenter.k8s.aws, x-ref: 2}
      taints:
        - {effect: NoSchedule, key: k, timeAdded: "2024-05-27T10:00:00Z"}
      x-template-spec: {}
    x-template: null
metadata:
  name: np
  managedFields: [{manager: kubectl}]
)");
  FieldErrors errors;
  NodePool pool = DecodeNodePool(input, errors);
  EXPECT_TRUE(errors.empty()) << ::testing::PrintToString(Describe(errors));
  EXPECT_EQ(pool.spec.disruption.budgets[0].nodes, IntOrPercent::Count(10));
  EXPECT_EQ(pool.spec.limits.Get("memory"), Q("1536Mi"));
  EXPECT_EQ(pool.status.conditions[0].last_transition_time, 1716804000);
  EXPECT_JSON_EQ(EncodeNodePool(pool), input);
}

TEST(NodePoolCodecTest, RoundTripKeepsExplicitEmptyValues) {
  Json input = Yaml(R"(
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {}
spec:
  template:
    metadata: {labels: {}, annotations: null}
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements: []
      taints: []
  disruption: {budgets: [], consolidateAfter: 0s}
  limits: {}
status: {}
)");
  FieldErrors errors;
  NodePool pool = DecodeNodePool(input, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(pool.spec.disruption.consolidate_after, NillableDuration(0s));
  EXPECT_JSON_EQ(EncodeNodePool(pool), input);
}

TEST(NodePoolCodecTest, WrongTypesAreErrorsAndTheRestStillDecodes) {
  FieldErrors errors;
  NodePool pool = DecodeNodePool(Yaml(R"(
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: broken}
spec:
  weight: ten
  limits: {cpu: lots, memory: 10Gi}
  template:
    metadata: {labels: [a]}
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      expireAfter: 5
      terminationGracePeriod: 1d
      requirements:
        - {key: a, operator: In, values: [x]}
        - {key: b, operator: Equals, values: [y]}
        - "c In z"
        - {key: d, operator: In, values: [w], minValues: 3000000000}
  disruption:
    consolidationPolicy: Sometimes
    consolidateAfter: soon
    budgets:
      - {nodes: ten%}
      - {nodes: 3, reasons: [Empty, Bored]}
      - nodes: "1"
status:
  nodes: "2"
)"),
                                 errors);
  EXPECT_EQ(Describe(errors),
            (std::vector<std::string>{
                "/spec/template/metadata/labels: must be a map of strings, not array",
                "/spec/template/spec/requirements/1/operator: " +
                    core::ParseOperator("Equals").error().message,
                "/spec/template/spec/requirements/2: must be an object, not string",
                "/spec/template/spec/requirements/3/minValues: must fit in a 32-bit integer, not "
                "3000000000",
                "/spec/template/spec/terminationGracePeriod: time: unknown unit \"d\" in duration "
                "\"1d\"",
                "/spec/template/spec/expireAfter: must be a string, not integer",
                "/spec/disruption/consolidationPolicy: unsupported consolidation policy "
                "\"Sometimes\": must be WhenEmpty, WhenEmptyOrUnderutilized or Balanced",
                "/spec/disruption/consolidateAfter: " +
                    core::NillableDuration::Parse("soon").error().message,
                "/spec/disruption/budgets/0/nodes: invalid budget nodes \"ten%\": a percentage "
                "must be 0% to 100%",
                "/spec/disruption/budgets/1/nodes: must be a string, not integer",
                "/spec/disruption/budgets/1/reasons/1: unsupported disruption reason \"Bored\": "
                "must be Underutilized, Empty or Drifted",
                "/spec/limits/cpu: invalid quantity \"lots\": " +
                    Quantity::Parse("lots").error().message,
                "/spec/weight: must be an integer, not string",
                "/status/nodes: must be an integer, not string",
            }));
  // Everything else is still there.
  EXPECT_EQ(pool.metadata.name, "broken");
  EXPECT_EQ(pool.spec.template_.spec.node_class_ref.name, "default");
  ASSERT_EQ(pool.spec.template_.spec.requirements.size(), 3u);
  EXPECT_EQ(pool.spec.template_.spec.requirements[1].key, "b");
  EXPECT_EQ(pool.spec.template_.spec.requirements[2].min_values, std::nullopt);
  EXPECT_EQ(pool.spec.limits, (core::ResourceList{{"memory", Q("10Gi")}}));
  ASSERT_EQ(pool.spec.disruption.budgets.size(), 3u);
  EXPECT_EQ(pool.spec.disruption.budgets[1].reasons,
            std::vector<DisruptionReason>{DisruptionReason::kEmpty});
  EXPECT_EQ(pool.spec.disruption.budgets[2].nodes, IntOrPercent::Count(1));
  EXPECT_EQ(pool.spec.disruption.Policy(), ConsolidationPolicy::kWhenEmptyOrUnderutilized);
}

TEST(NodePoolCodecTest, NonObjectDocumentIsOneError) {
  FieldErrors errors;
  NodePool pool = DecodeNodePool(Json::array(), errors);
  EXPECT_EQ(Describe(errors), std::vector<std::string>{": must be an object, not array"});
  EXPECT_EQ(pool.spec, NodePoolSpec{});
}

TEST(NodePoolCodecTest, EncodesDefaultConstructedAsMinimalObject) {
  EXPECT_JSON_EQ(EncodeNodePool(NodePool{}), Json::parse(R"({
    "apiVersion": "karpenter.sh/v1",
    "kind": "NodePool",
    "metadata": {},
    "spec": {"template": {"spec": {
      "nodeClassRef": {"group": "", "kind": "", "name": ""},
      "requirements": []
    }}}
  })"));
}

TEST(NodePoolCodecTest, EncodesANewObjectInCanonicalForm) {
  NodePool pool;
  pool.metadata.name = "default";
  NodeClaimTemplateSpec& spec = pool.spec.template_.spec;
  spec.node_class_ref = {"karpenter.k8s.aws", "EC2NodeClass", "default"};
  spec.requirements = {{"kubernetes.io/arch", Operator::In, {"amd64", "arm64"}, 2},
                       {"karpenter.k8s.aws/instance-cpu", Operator::Gte, {"4"}, {}}};
  spec.taints = {{"dedicated", "", TaintEffect::NoSchedule}};
  spec.expire_after = NillableDuration(720h);
  spec.termination_grace_period = 90s;
  pool.spec.template_.metadata.labels = {{"team", "a"}};
  pool.spec.disruption.consolidation_policy = ConsolidationPolicy::kBalanced;
  pool.spec.disruption.consolidate_after = NillableDuration::Never();
  pool.spec.disruption.budgets = {
      {IntOrPercent::Percent(20), {}, std::nullopt, std::nullopt},
      {IntOrPercent::Count(0), {DisruptionReason::kDrifted}, std::string("0 9 * * 1-5"), 8h}};
  pool.spec.limits = {{"cpu", Q("1.5")}, {"memory", Q("1.5Gi")}};
  pool.spec.weight = 10;
  pool.status.nodes = 0;
  pool.status.conditions = {{"Ready", "True", 1, 1716804000, "Ready", ""}};

  EXPECT_JSON_EQ(EncodeNodePool(pool), Json::parse(R"({
    "apiVersion": "karpenter.sh/v1",
    "kind": "NodePool",
    "metadata": {"name": "default"},
    "spec": {
      "template": {
        "metadata": {"labels": {"team": "a"}},
        "spec": {
          "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "default"},
          "taints": [{"key": "dedicated", "effect": "NoSchedule"}],
          "requirements": [
            {"key": "kubernetes.io/arch", "operator": "In", "values": ["amd64", "arm64"], "minValues": 2},
            {"key": "karpenter.k8s.aws/instance-cpu", "operator": "Gte", "values": ["4"]}
          ],
          "expireAfter": "720h0m0s",
          "terminationGracePeriod": "1m30s"
        }
      },
      "disruption": {
        "consolidationPolicy": "Balanced",
        "consolidateAfter": "Never",
        "budgets": [
          {"nodes": "20%"},
          {"nodes": "0", "reasons": ["Drifted"], "schedule": "0 9 * * 1-5", "duration": "8h0m0s"}
        ]
      },
      "limits": {"cpu": "1500m", "memory": "1536Mi"},
      "weight": 10
    },
    "status": {
      "nodes": 0,
      "conditions": [{"type": "Ready", "status": "True", "observedGeneration": 1,
                      "lastTransitionTime": "2024-05-27T10:00:00Z", "reason": "Ready", "message": ""}]
    }
  })"));
}

// A changed model is written over raw: changed values in place, removed values gone, new
// values appended, unknown fields kept.
TEST(NodePoolCodecTest, EncodesChangesOverRaw) {
  FieldErrors errors;
  NodePool pool = DecodeNodePool(Yaml(R"(
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: np}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
        - {key: a, operator: In, values: [x], x-keep: 1}
        - {key: b, operator: Exists}
      expireAfter: 24h
  disruption:
    consolidateAfter: 30s
    budgets: [{nodes: 10%}]
  limits: {cpu: "100", memory: 1Ti}
  x-unknown: kept
)"),
                                 errors);
  ASSERT_TRUE(errors.empty());
  pool.spec.template_.spec.requirements.pop_back();
  pool.spec.template_.spec.requirements[0].values = {"x", "y"};
  pool.spec.template_.spec.expire_after = NillableDuration(48h);
  pool.spec.disruption.consolidate_after.reset();
  pool.spec.disruption.budgets[0].nodes = IntOrPercent::Count(3);
  pool.spec.limits.Erase("cpu");
  pool.spec.limits.Set("nvidia.com/gpu", Q("8"));
  pool.spec.weight = 5;

  EXPECT_JSON_EQ(EncodeNodePool(pool), Json::parse(R"({
    "apiVersion": "karpenter.sh/v1",
    "kind": "NodePool",
    "metadata": {"name": "np"},
    "spec": {
      "template": {"spec": {
        "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "default"},
        "requirements": [{"key": "a", "operator": "In", "values": ["x", "y"], "x-keep": 1}],
        "expireAfter": "48h0m0s"
      }},
      "disruption": {"budgets": [{"nodes": "3"}]},
      "limits": {"memory": "1Ti", "nvidia.com/gpu": "8"},
      "x-unknown": "kept",
      "weight": 5
    }
  })"));
}

TEST(NodePoolCodecTest, DefaultsApplyWhenFieldsAreAbsent) {
  NodePool pool;
  EXPECT_EQ(pool.spec.disruption.Policy(), ConsolidationPolicy::kWhenEmptyOrUnderutilized);
  EXPECT_EQ(pool.spec.template_.spec.ExpireAfter(), NillableDuration(720h));
  EXPECT_EQ(Budget{}.nodes, IntOrPercent::Percent(10));
}

TEST(BudgetNodesTest, ParsesCountsAndPercentages) {
  EXPECT_EQ(*ParseBudgetNodes("0"), IntOrPercent::Count(0));
  EXPECT_EQ(*ParseBudgetNodes("5"), IntOrPercent::Count(5));
  EXPECT_EQ(*ParseBudgetNodes("007"), IntOrPercent::Count(7));
  EXPECT_EQ(*ParseBudgetNodes("2147483647"), IntOrPercent::Count(2147483647));
  EXPECT_EQ(*ParseBudgetNodes("0%"), IntOrPercent::Percent(0));
  EXPECT_EQ(*ParseBudgetNodes("10%"), IntOrPercent::Percent(10));
  EXPECT_EQ(*ParseBudgetNodes("05%"), IntOrPercent::Percent(5));
  EXPECT_EQ(*ParseBudgetNodes("100%"), IntOrPercent::Percent(100));
  EXPECT_EQ(ParseBudgetNodes("10%")->ToString(), "10%");
  EXPECT_EQ(ParseBudgetNodes("3")->ToString(), "3");
}

TEST(BudgetNodesTest, RejectsWhatTheCrdPatternRejects) {
  for (const char* text : {"%", "101%", "0100%", "1000%", "5.5%", "-1%", "+5%", " 5%"}) {
    Result<IntOrPercent> parsed = ParseBudgetNodes(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().message, "invalid budget nodes \"" + std::string(text) +
                                          "\": a percentage must be 0% to 100%")
        << text;
  }
  for (const char* text : {"", "-1", "+1", "1.5", "ten", " 5", "5 ", "2147483648", "0x10"}) {
    Result<IntOrPercent> parsed = ParseBudgetNodes(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().message,
              "invalid budget nodes \"" + std::string(text) +
                  "\": must be a node count (\"5\") or a percentage (\"10%\")")
        << text;
  }
}

TEST(NodePoolEnumsTest, ParseAndPrint) {
  for (ConsolidationPolicy policy :
       {ConsolidationPolicy::kWhenEmpty, ConsolidationPolicy::kWhenEmptyOrUnderutilized,
        ConsolidationPolicy::kBalanced}) {
    EXPECT_EQ(*ParseConsolidationPolicy(ToString(policy)), policy);
  }
  EXPECT_FALSE(ParseConsolidationPolicy("whenEmpty"));
  EXPECT_FALSE(ParseConsolidationPolicy("WhenUnderutilized"));
  for (DisruptionReason reason : {DisruptionReason::kUnderutilized, DisruptionReason::kEmpty,
                                  DisruptionReason::kDrifted}) {
    EXPECT_EQ(*ParseDisruptionReason(ToString(reason)), reason);
  }
  EXPECT_FALSE(ParseDisruptionReason("Expired"));
}

}  // namespace
}  // namespace karpenter::api
