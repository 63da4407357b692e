// Multi-node consolidation: the largest prefix of the cheapest-to-disrupt candidates that can
// go at once, found by binary search (upstream's firstNConsolidationOption).
#include <algorithm>
#include <utility>

#include "disruption/consolidation.h"

namespace karpenter::disruption {
namespace {

// Disruption cost, then the more expensive node first (more to save), then name.
void SortForConsolidation(std::vector<const Candidate*>& candidates) {
  // Prices looked up once per candidate, not once per comparison.
  std::vector<std::pair<const Candidate*, double>> priced;
  priced.reserve(candidates.size());
  for (const Candidate* candidate : candidates) {
    priced.emplace_back(candidate, CandidatePrice(*candidate).value_or(0));
  }
  std::stable_sort(priced.begin(), priced.end(), [](const auto& a, const auto& b) {
    if (a.first->disruption_cost != b.first->disruption_cost)
      return a.first->disruption_cost < b.first->disruption_cost;
    if (a.second != b.second) return a.second > b.second;
    return a.first->Name() < b.first->Name();
  });
  for (size_t i = 0; i < priced.size(); ++i) candidates[i] = priced[i].first;
}

// Keeps the candidates whose NodePool's Underutilized budget has room, counting it down; the
// others go to `blocked`.
std::vector<const Candidate*> WithinBudget(const std::vector<const Candidate*>& candidates,
                                           BudgetMapping& budgets,
                                           std::vector<BlockedNode>& blocked, bool count_down) {
  std::vector<const Candidate*> kept;
  for (const Candidate* candidate : candidates) {
    const std::string& pool = candidate->node_pool->metadata.name;
    auto it = budgets.find(pool);
    if (it == budgets.end() || it->second.allowed <= 0) {
      blocked.push_back({candidate->Name(), it == budgets.end()
                                                ? "no budget computed for NodePool \"" + pool + "\""
                                                : BudgetExhaustedReason(it->second)});
      continue;
    }
    if (count_down) --it->second.allowed;
    kept.push_back(candidate);
  }
  return kept;
}

}  // namespace

void SortConsolidationCandidates(std::vector<const Candidate*>& candidates) {
  SortForConsolidation(candidates);
}

std::vector<const Candidate*> FilterByBudget(const std::vector<const Candidate*>& candidates,
                                             BudgetMapping& budgets,
                                             std::vector<BlockedNode>& blocked, bool count_down) {
  return WithinBudget(candidates, budgets, blocked, count_down);
}

ConsolidationDecision ComputeMultiNodeConsolidation(const Snapshot& snapshot,
                                                    const SchedulingView& view,
                                                    const std::vector<Candidate>& candidates,
                                                    BudgetMapping budgets,
                                                    const ConsolidationOptions& options) {
  ConsolidationDecision decision;
  std::vector<const Candidate*> eligible =
      ConsolidationCandidates(snapshot, candidates, decision.blocked);
  SortForConsolidation(eligible);
  std::vector<const Candidate*> batch = WithinBudget(eligible, budgets, decision.blocked, true);
  if (batch.size() > kMaxMultiNodeCandidates) batch.resize(kMaxMultiNodeCandidates);
  // Prefixes of at least two: one candidate alone is single-node consolidation's business.
  size_t lo = 2, hi = batch.size();
  while (lo <= hi) {
    const size_t mid = lo + (hi - lo) / 2;
    std::vector<const Candidate*> prefix(batch.begin(), batch.begin() + mid);
    ConsolidationOutcome outcome = SimulateConsolidation(
        snapshot, view, prefix, Method::kMultiNodeConsolidation, options);
    if (outcome.command) {
      decision.command = std::move(outcome.command);
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return decision;
}

}  // namespace karpenter::disruption
