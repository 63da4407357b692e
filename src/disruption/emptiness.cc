#include "disruption/emptiness.h"

#include <algorithm>

#include "core/duration.h"

namespace karpenter::disruption {
namespace {

std::chrono::nanoseconds ConsolidateAfterOrZero(const api::NodePool& node_pool) {
  const auto& after = node_pool.spec.disruption.consolidate_after;
  if (!after) return std::chrono::nanoseconds(0);
  return after->value().value_or(std::chrono::nanoseconds(0));
}

bool ConsolidationDisabled(const api::NodePool& node_pool) {
  const auto& after = node_pool.spec.disruption.consolidate_after;
  return after.has_value() && after->IsNever();
}

}  // namespace

std::optional<Time> ConsolidatableAt(const SnapshotNode& node, const api::NodePool& node_pool) {
  if (ConsolidationDisabled(node_pool) || !node.node_claim) return std::nullopt;
  const api::NodeClaimStatus& status = node.node_claim->status;
  std::optional<int64_t> since = status.last_pod_event_time;
  if (!since) {
    const api::Condition* initialized = api::FindCondition(status.conditions, "Initialized");
    if (initialized && initialized->IsTrue()) since = initialized->last_transition_time;
  }
  if (!since) return std::nullopt;
  return FromEpochSeconds(*since) +
         std::chrono::duration_cast<Time::duration>(ConsolidateAfterOrZero(node_pool));
}

std::optional<std::string> NotConsolidatableReason(const SnapshotNode& node,
                                                   const api::NodePool& node_pool, Time now) {
  if (ConsolidationDisabled(node_pool)) {
    return "NodePool \"" + node_pool.metadata.name + "\" has consolidateAfter: Never";
  }
  std::optional<Time> at = ConsolidatableAt(node, node_pool);
  if (!at) {
    const api::Condition* condition =
        node.node_claim ? api::FindCondition(node.node_claim->status.conditions, "Consolidatable")
                        : nullptr;
    if (condition && condition->IsTrue()) return std::nullopt;
    return std::string(
        "not consolidatable: the NodeClaim has no last pod event time, "
        "Initialized time or Consolidatable condition");
  }
  if (now >= *at) return std::nullopt;
  return "not consolidatable until " + FormatTime(*at) + " (consolidateAfter " +
         core::FormatGoDuration(ConsolidateAfterOrZero(node_pool)) + " after the last pod event)";
}

EmptinessDecision ComputeEmptiness(const Snapshot& snapshot,
                                   const std::vector<Candidate>& candidates,
                                   BudgetMapping budgets) {
  EmptinessDecision decision;
  std::vector<const Candidate*> empty;
  for (const Candidate& candidate : candidates) {
    if (!candidate.reschedulable_pods.empty()) continue;
    if (std::optional<std::string> reason =
            NotConsolidatableReason(*candidate.node, *candidate.node_pool, snapshot.now)) {
      decision.blocked.push_back({candidate.Name(), *std::move(reason)});
      continue;
    }
    empty.push_back(&candidate);
  }
  std::stable_sort(empty.begin(), empty.end(), [](const Candidate* a, const Candidate* b) {
    if (a->disruption_cost != b->disruption_cost) return a->disruption_cost < b->disruption_cost;
    return a->Name() < b->Name();
  });
  Command command{Method::kEmptiness, "Empty", {}, {}, std::nullopt};
  for (const Candidate* candidate : empty) {
    auto it = budgets.find(candidate->node_pool->metadata.name);
    if (it == budgets.end() || it->second.allowed <= 0) {
      decision.blocked.push_back(
          {candidate->Name(), it == budgets.end() ? "no budget computed for NodePool \"" +
                                                        candidate->node_pool->metadata.name + "\""
                                                  : BudgetExhaustedReason(it->second)});
      continue;
    }
    --it->second.allowed;
    command.candidates.push_back(candidate->Name());
  }
  if (!command.candidates.empty()) decision.command = std::move(command);
  return decision;
}

}  // namespace karpenter::disruption
