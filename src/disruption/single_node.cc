// Single-node consolidation: each candidate alone, NodePools taking turns, the first that can
// be deleted or replaced wins (upstream's SingleNodeConsolidation).
#include <map>

#include "disruption/consolidation.h"

namespace karpenter::disruption {
namespace {

// One candidate from each NodePool in turn (NodePools in order of their first candidate),
// keeping each NodePool's own order, so one NodePool cannot starve the others.
std::vector<const Candidate*> Interleave(const std::vector<const Candidate*>& sorted) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<const Candidate*>> by_pool;
  for (const Candidate* candidate : sorted) {
    const std::string& pool = candidate->node_pool->metadata.name;
    if (!by_pool.contains(pool)) order.push_back(pool);
    by_pool[pool].push_back(candidate);
  }
  std::vector<const Candidate*> interleaved;
  for (size_t round = 0; interleaved.size() < sorted.size(); ++round) {
    for (const std::string& pool : order) {
      const auto& list = by_pool[pool];
      if (round < list.size()) interleaved.push_back(list[round]);
    }
  }
  return interleaved;
}

}  // namespace

ConsolidationDecision ComputeSingleNodeConsolidation(const Snapshot& snapshot,
                                                     const SchedulingView& view,
                                                     const std::vector<Candidate>& candidates,
                                                     BudgetMapping budgets,
                                                     const ConsolidationOptions& options) {
  ConsolidationDecision decision;
  std::vector<const Candidate*> eligible =
      ConsolidationCandidates(snapshot, candidates, decision.blocked);
  SortConsolidationCandidates(eligible);
  eligible = FilterByBudget(eligible, budgets, decision.blocked, false);
  SingleNodeMemo* memo = options.single_node_memo;
  for (const Candidate* candidate : Interleave(eligible)) {
    if (memo != nullptr) {
      if (auto known = memo->failed.find(candidate->Name()); known != memo->failed.end()) {
        decision.blocked.push_back({candidate->Name(), known->second});
        continue;
      }
    }
    ConsolidationOutcome outcome = SimulateConsolidation(
        snapshot, view, {candidate}, Method::kSingleNodeConsolidation, options);
    if (outcome.command) {
      decision.command = std::move(outcome.command);
      break;
    }
    if (memo != nullptr) memo->failed.emplace(candidate->Name(), outcome.reason);
    decision.blocked.push_back({candidate->Name(), std::move(outcome.reason)});
  }
  return decision;
}

}  // namespace karpenter::disruption
