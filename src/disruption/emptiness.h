// Emptiness: delete candidates that run no reschedulable pods once they have been
// consolidatable for consolidateAfter, as many as each NodePool's Empty budget allows, in one
// command. Every consolidationPolicy (WhenEmpty, WhenEmptyOrUnderutilized, Balanced) allows it.
// Mirrors upstream Karpenter's Emptiness method and the NodeClaim Consolidatable condition.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/model/node_pool.h"
#include "disruption/budgets.h"
#include "disruption/candidates.h"
#include "disruption/command.h"
#include "disruption/snapshot.h"

namespace karpenter::disruption {

// When `node` becomes consolidatable under `node_pool`: the NodeClaim's
// status.lastPodEventTime (else, as upstream, its Initialized condition's lastTransitionTime)
// plus the NodePool's consolidateAfter (0s when absent, as the CRD defaults it). nullopt when
// consolidateAfter is Never or the node has neither time.
std::optional<Time> ConsolidatableAt(const SnapshotNode& node, const api::NodePool& node_pool);

// Why `node` is not consolidatable at `now`, or nullopt when it is: "NodePool \"x\" has
// consolidateAfter: Never", "not consolidatable until 2024-05-27T10:32:00Z (consolidateAfter
// 5m0s after the last pod event)". Without either time, the NodeClaim's Consolidatable
// condition decides.
std::optional<std::string> NotConsolidatableReason(const SnapshotNode& node,
                                                   const api::NodePool& node_pool, Time now);

struct EmptinessDecision {
  // Method emptiness, reason Empty; nullopt when no empty candidate may be deleted.
  std::optional<Command> command;
  // Empty candidates left alone, and why (not consolidatable, or the budget is exhausted).
  // Candidates with reschedulable pods are not emptiness's business and are not listed.
  std::vector<BlockedNode> blocked;
};

// Takes the empty, consolidatable candidates in order of disruption cost (then name) and keeps
// each while its NodePool's `budgets` (for reason Empty) has room, counting it down.
EmptinessDecision ComputeEmptiness(const Snapshot& snapshot,
                                   const std::vector<Candidate>& candidates, BudgetMapping budgets);

}  // namespace karpenter::disruption
