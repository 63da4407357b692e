// Rows for every rule of the NodeClaim CRD (see crd_rules.h).
#include <string>

#include "crd_rules.h"

namespace karpenter::api::crd_rules {

Json NodeClaimBase() {
  return Json::parse(R"({
    "apiVersion": "karpenter.sh/v1", "kind": "NodeClaim", "metadata": {"name": "default-x1"},
    "spec": {
      "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "default"},
      "requirements": [{"key": "karpenter.sh/capacity-type", "operator": "In",
                        "values": ["spot"]}]}})");
}

std::vector<Row> NodeClaimRows() {
  std::vector<Row> rows = {
      {"#required:spec", {}, {Remove("/spec")}, "/spec", "Required value"},
      // The whole spec is immutable: an update may change metadata and status only.
      {"/spec#rule:0",
       {Set("/metadata/labels", {{"team", "a"}}), Set("/status/nodeName", "ip-10-0-0-1")},
       {Set("/spec/expireAfter", "1h")}, "/spec", "Invalid value: spec is immutable",
       /*update=*/true},
      QuantityPatternRow("/spec/resources/requests", "/spec/resources/requests"),
      QuantityPatternRow("/status/allocatable", "/status/allocatable"),
      QuantityPatternRow("/status/capacity", "/status/capacity"),
      {"/status/lastPodEventTime#format", {Set("/status/lastPodEventTime", "2024-05-01T10:00:00Z")},
       {Set("/status/lastPodEventTime", "1714557600")}, "/status/lastPodEventTime",
       "Invalid value: \"1714557600\": status.lastPodEventTime in body must be of type date-time: "
       "\"1714557600\""},
  };
  for (auto part : {NodeClaimSpecRows("/spec", "/spec", /*nodepool=*/false),
                    ConditionRows(/*strict=*/false, /*list_map=*/true)}) {
    for (Row& row : part) rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace karpenter::api::crd_rules
