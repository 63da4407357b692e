// Rows for every rule of the NodePool CRD (see crd_rules.h).
#include <string>

#include "crd_rules.h"

namespace karpenter::api::crd_rules {
namespace {

const std::string kTemplate = "/spec/template/spec";

Patch Disruption(Json budgets) {
  return {Set("/spec/disruption", {{"consolidateAfter", "0s"}, {"budgets", std::move(budgets)}})};
}

Json Budget(const Json& fields = Json::object()) {
  Json budget = {{"nodes", "1"}};
  if (fields.is_object()) budget.update(fields);
  return budget;
}

Patch Labels(Json labels) { return {Set("/spec/template/metadata/labels", std::move(labels))}; }

std::vector<Row> SpecRows() {
  return {
      {"#required:spec", {}, {Remove("/spec")}, "/spec", "Required value"},
      {"/spec#required:template", {}, {Remove("/spec/template")}, "/spec/template",
       "Required value"},
      {"/spec#rule:0", {Set("/spec/weight", 5)}, {Set("/spec/replicas", 3)}, "/spec",
       "Invalid value: Cannot transition NodePool between static (replicas set) and dynamic "
       "(replicas unset) provisioning modes",
       /*update=*/true},
      {"/spec#rule:1",
       {Set("/spec/replicas", 2), Set("/spec/limits", {{"nodes", 5}})},
       {Set("/spec/replicas", 2), Set("/spec/limits", {{"nodes", 5}, {"cpu", "10"}})}, "/spec",
       "only 'limits.nodes' is supported on static NodePools"},
      {"/spec#rule:2", {Set("/spec/replicas", 2)},
       {Set("/spec/replicas", 2), Set("/spec/weight", 10)}, "/spec",
       "'weight' is not supported on static NodePools"},
      {"/spec/replicas#minimum", {Set("/spec/replicas", 0)}, {Set("/spec/replicas", -1)},
       "/spec/replicas", "Invalid value: -1: spec.replicas in body should be greater than or "
                         "equal to 0"},
      {"/spec/weight#minimum", {Set("/spec/weight", 1)}, {Set("/spec/weight", 0)}, "/spec/weight",
       "Invalid value: 0: spec.weight in body should be greater than or equal to 1"},
      {"/spec/weight#maximum", {Set("/spec/weight", 100)}, {Set("/spec/weight", 101)},
       "/spec/weight", "Invalid value: 101: spec.weight in body should be less than or equal to "
                       "100"},
      QuantityPatternRow("/spec/limits", "/spec/limits"),
      {"/spec/template#required:spec", {}, {Remove(kTemplate)}, kTemplate, "Required value"},
  };
}

std::vector<Row> DisruptionRows() {
  const std::string budget0 = "/spec/disruption/budgets/0";
  auto many = [](int n) { return Repeat(n, [](int) { return Budget(); }); };
  auto reasons = [](Json list) { return Budget({{"reasons", std::move(list)}}); };
  return {
      {"/spec/disruption#required:consolidateAfter",
       {Set("/spec/disruption", {{"consolidateAfter", "30s"}})},
       {Set("/spec/disruption", {{"consolidationPolicy", "WhenEmpty"}})},
       "/spec/disruption/consolidateAfter", "Required value"},
      {"/spec/disruption/consolidateAfter#pattern",
       {Set("/spec/disruption", {{"consolidateAfter", "Never"}})},
       {Set("/spec/disruption", {{"consolidateAfter", "1d"}})},
       "/spec/disruption/consolidateAfter",
       "Invalid value: \"1d\": spec.disruption.consolidateAfter in body should match "
       "'^(([0-9]+(s|m|h))+|Never)$'"},
      {"/spec/disruption/consolidationPolicy#enum",
       {Set("/spec/disruption", {{"consolidateAfter", "1m"}, {"consolidationPolicy", "Balanced"}})},
       {Set("/spec/disruption", {{"consolidateAfter", "1m"}, {"consolidationPolicy", "Foo"}})},
       "/spec/disruption/consolidationPolicy",
       "Unsupported value: \"Foo\": supported values: \"WhenEmpty\", "
       "\"WhenEmptyOrUnderutilized\", \"Balanced\""},
      {"/spec/disruption/budgets#maxItems", Disruption(many(50)), Disruption(many(51)),
       "/spec/disruption/budgets", "Too many: 51: must have at most 50 items"},
      {"/spec/disruption/budgets#rule:0",
       Disruption({Budget({{"schedule", "@daily"}, {"duration", "10m"}})}),
       Disruption({Budget({{"schedule", "@daily"}})}), "/spec/disruption/budgets",
       "Invalid value: 'schedule' must be set with 'duration'"},
      {"/spec/disruption/budgets/[]#required:nodes", Disruption({{{"nodes", "5"}}}),
       Disruption({{{"reasons", {"Empty"}}}}), budget0 + "/nodes", "Required value",
       false, {}, /*without_defaults=*/true},
      {"/spec/disruption/budgets/[]/nodes#pattern", Disruption({{{"nodes", "100%"}}}),
       Disruption({{{"nodes", "101%"}}}), budget0 + "/nodes",
       "should match '^((100|[0-9]{1,2})%|[0-9]+)$'"},
      {"/spec/disruption/budgets/[]/duration#pattern",
       Disruption({Budget({{"schedule", "0 9 * * 1-5"}, {"duration", "1h30m"}})}),
       Disruption({Budget({{"schedule", "0 9 * * 1-5"}, {"duration", "30s"}})}),
       budget0 + "/duration", "should match"},
      {"/spec/disruption/budgets/[]/schedule#pattern",
       Disruption({Budget({{"schedule", "@hourly"}, {"duration", "10m"}})}),
       Disruption({Budget({{"schedule", "@often"}, {"duration", "10m"}})}),
       budget0 + "/schedule", "should match"},
      {"/spec/disruption/budgets/[]/reasons#maxItems",
       Disruption({reasons({"Underutilized", "Empty", "Drifted"})}),
       Disruption({reasons(Repeat(51, [](int) { return "Empty"; }))}), budget0 + "/reasons",
       "Too many: 51: must have at most 50 items"},
      {"/spec/disruption/budgets/[]/reasons#list-type", Disruption({reasons({"Empty", "Drifted"})}),
       Disruption({reasons({"Empty", "Empty"})}), budget0 + "/reasons/1",
       "Duplicate value: \"Empty\""},
      {"/spec/disruption/budgets/[]/reasons/[]#enum", Disruption({reasons({"Underutilized"})}),
       Disruption({reasons({"Expired"})}), budget0 + "/reasons/0",
       "Unsupported value: \"Expired\": supported values: \"Underutilized\", \"Empty\", "
       "\"Drifted\""},
  };
}

std::vector<Row> TemplateMetadataRows() {
  const std::string at = "/spec/template/metadata/labels";
  const std::string loc = at;
  auto many = [](int n) {
    Json labels = Json::object();
    for (int i = 0; i < n; ++i) labels["example.com/l" + std::to_string(i)] = "v";
    return labels;
  };
  return {
      {loc + "#maxProperties", Labels(many(100)), Labels(many(101)), at,
       "Too many: 101: must have at most 100 items"},
      {loc + "#rule:0", Labels({{"karpenter.sh/capacity-type", "spot"}, {"team", "a"}}),
       Labels({{"sub.karpenter.sh/x", "y"}}), at,
       "Invalid value: label domain \"karpenter.sh\" is restricted"},
      {loc + "#rule:1", Labels({{"example.com/nodepool", "x"}}),
       Labels({{"karpenter.sh/nodepool", "x"}}), at,
       "label \"karpenter.sh/nodepool\" is restricted"},
      {loc + "#rule:2", Labels({{"kubernetes.io/os", "linux"}}),
       Labels({{"kubernetes.io/hostname", "x"}}), at,
       "label \"kubernetes.io/hostname\" is restricted"},
      {loc + "#rule:3", Labels({{"karpenter.k8s.aws/instance-family", "m5"}}),
       Labels({{"karpenter.k8s.aws/anything", "x"}}), at,
       "label domain \"karpenter.k8s.aws\" is restricted"},
      {loc + "/{}#pattern", Labels({{"team", "a-b_c.d"}}), Labels({{"team", "a b"}}), at + "/team",
       "Invalid value: \"a b\": spec.template.metadata.labels.team in body should match "
       "'^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$'"},
      {loc + "/{}#maxLength", Labels({{"team", std::string(63, 'v')}}),
       Labels({{"team", std::string(64, 'v')}}), at + "/team",
       "Too long: may not be longer than 63"},
  };
}

// Transition rules on nodeClassRef: group and kind may not change, the name may.
std::vector<Row> NodeClassRefTransitionRows() {
  const std::string ref = kTemplate + "/nodeClassRef";
  return {
      {ref + "#rule:0", {Set(ref + "/name", "other")},
       {Set(ref + "/group", "example.com")}, ref, "nodeClassRef.group is immutable",
       /*update=*/true},
      {ref + "#rule:1", {Set(ref + "/name", "other")}, {Set(ref + "/kind", "OtherNodeClass")},
       ref, "nodeClassRef.kind is immutable", /*update=*/true},
  };
}

}  // namespace

Json NodePoolBase() {
  return Json::parse(R"({
    "apiVersion": "karpenter.sh/v1", "kind": "NodePool", "metadata": {"name": "default"},
    "spec": {"template": {"spec": {
      "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "default"},
      "requirements": [{"key": "karpenter.sh/capacity-type", "operator": "In",
                        "values": ["spot"]}]}}}})");
}

std::vector<Row> NodePoolRows() {
  std::vector<Row> rows;
  for (auto part : {SpecRows(), DisruptionRows(), TemplateMetadataRows(),
                    NodeClassRefTransitionRows(),
                    NodeClaimSpecRows(kTemplate, kTemplate, /*nodepool=*/true),
                    ConditionRows(/*strict=*/true, /*list_map=*/true)}) {
    for (Row& row : part) rows.push_back(std::move(row));
  }
  rows.push_back(QuantityPatternRow("/status/resources", "/status/resources"));
  return rows;
}

}  // namespace karpenter::api::crd_rules
