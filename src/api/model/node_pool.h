// karpenter.sh/v1 NodePool: a template for the nodes Karpenter may launch, the limits on how
// many, and the rules for when it may take them away again.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/json.h"
#include "api/model/condition.h"
#include "api/model/int_or_percent.h"
#include "api/model/node_claim.h"
#include "api/model/object_meta.h"
#include "core/duration.h"
#include "core/resource_list.h"
#include "core/result.h"

namespace karpenter::api {

// Parses a budget's `nodes` as the CRD's pattern admits it: one or more decimal digits (a node
// count, at most 2^31-1 since upstream keeps it in an int32), or "0%" to "100%" (one or two
// digits, or exactly 100). Anything else (signs, spaces, "101%", "") is an error quoting the
// text. The result scales against a node count as upstream's budgets do (rounding up).
Result<IntOrPercent> ParseBudgetNodes(std::string_view text);

// Which disruption methods a budget applies to.
enum class DisruptionReason { kUnderutilized, kEmpty, kDrifted };
Result<DisruptionReason> ParseDisruptionReason(std::string_view text);
std::string_view ToString(DisruptionReason reason);

// Limits how many of a NodePool's nodes may be disrupted at once, optionally only during a
// cron window (schedule + duration, in UTC).
struct Budget {
  IntOrPercent nodes = IntOrPercent::Percent(10);  // the CRD's default
  // Empty means the budget applies to every reason.
  std::vector<DisruptionReason> reasons;
  // Cron syntax ("0 9 * * mon-fri" or "@daily"); set together with duration.
  std::optional<std::string> schedule;
  std::optional<std::chrono::nanoseconds> duration;

  friend bool operator==(const Budget&, const Budget&) = default;
};

enum class ConsolidationPolicy { kWhenEmpty, kWhenEmptyOrUnderutilized, kBalanced };
Result<ConsolidationPolicy> ParseConsolidationPolicy(std::string_view text);
std::string_view ToString(ConsolidationPolicy policy);

struct Disruption {
  // nullopt when absent (the API server defaults it to WhenEmptyOrUnderutilized): use Policy().
  std::optional<ConsolidationPolicy> consolidation_policy;
  // How long a node must be empty/underutilized before consolidation; Never disables it.
  // Required by the CRD (defaulted to 0s); nullopt only when absent from the document.
  std::optional<core::NillableDuration> consolidate_after;
  // Empty when absent; the API server defaults it to a single 10% budget.
  std::vector<Budget> budgets;

  ConsolidationPolicy Policy() const {
    return consolidation_policy.value_or(ConsolidationPolicy::kWhenEmptyOrUnderutilized);
  }

  friend bool operator==(const Disruption&, const Disruption&) = default;
};

// spec.template.metadata: what every node launched from the NodePool is labelled/annotated with.
struct NodeClaimTemplateMetadata {
  Labels labels;
  std::map<std::string, std::string> annotations;

  friend bool operator==(const NodeClaimTemplateMetadata&,
                         const NodeClaimTemplateMetadata&) = default;
};

struct NodeClaimTemplate {
  NodeClaimTemplateMetadata metadata;
  NodeClaimTemplateSpec spec;

  friend bool operator==(const NodeClaimTemplate&, const NodeClaimTemplate&) = default;
};

struct NodePoolSpec {
  NodeClaimTemplate template_;  // spec.template
  Disruption disruption;
  // Caps on the total resources (and "nodes") of the NodePool's nodes.
  core::ResourceList limits;
  // Higher weights are tried first; nullopt counts as 0.
  std::optional<int32_t> weight;
  // Static NodePools (alpha): a fixed node count instead of provisioning for pods.
  std::optional<int64_t> replicas;

  friend bool operator==(const NodePoolSpec&, const NodePoolSpec&) = default;
};

struct NodePoolStatus {
  core::ResourceList resources;  // sum of the capacity of the NodePool's nodes
  std::optional<int64_t> nodes;  // node count (defaulted to 0 by the API server)
  int64_t node_class_observed_generation = 0;
  std::vector<Condition> conditions;

  friend bool operator==(const NodePoolStatus&, const NodePoolStatus&) = default;
};

struct NodePool {
  ObjectMeta metadata;
  NodePoolSpec spec;
  NodePoolStatus status;
  // The document this was decoded from; encoding writes over it so unknown fields survive.
  Json raw;
};

}  // namespace karpenter::api
