#include "disruption/pass.h"

#include <algorithm>
#include <map>
#include <set>

#include "disruption/budgets.h"
#include "disruption/drift.h"
#include "disruption/drift_replacement.h"
#include "disruption/emptiness.h"
#include "disruption/expiration.h"

namespace karpenter::disruption {
namespace {

// Collects blocked reasons, the first per node, and lists them in snapshot order.
class BlockedList {
 public:
  void Add(const std::vector<BlockedNode>& blocked) {
    for (const BlockedNode& entry : blocked) reasons_.try_emplace(entry.node, entry.reason);
  }

  std::vector<BlockedNode> InOrder(const Snapshot& snapshot,
                                   const std::vector<Command>& commands) const {
    std::set<std::string> acted;
    for (const Command& command : commands) acted.insert(command.candidates.begin(), command.candidates.end());
    std::vector<BlockedNode> out;
    for (const SnapshotNode& node : snapshot.nodes) {
      auto it = reasons_.find(node.Name());
      if (it != reasons_.end() && !acted.contains(node.Name())) out.push_back({it->first, it->second});
    }
    return out;
  }

 private:
  std::map<std::string, std::string> reasons_;
};

// The graceful methods, in order; the first command wins.
std::optional<Command> GracefulCommand(const Snapshot& snapshot, const SchedulingView& view,
                                       const std::vector<Candidate>& candidates,
                                       const PassOptions& options, BlockedList& blocked) {
  EmptinessDecision empty = ComputeEmptiness(
      snapshot, candidates, BuildBudgetMapping(snapshot, api::DisruptionReason::kEmpty));
  blocked.Add(empty.blocked);
  if (empty.command) return empty.command;

  std::vector<DriftedCandidate> drifted = FindDrifted(snapshot, candidates);
  DriftDecision drift =
      ComputeDrift(drifted, BuildBudgetMapping(snapshot, api::DisruptionReason::kDrifted));
  blocked.Add(drift.blocked);
  if (drift.command) return drift.command;
  DriftReplacementDecision replace = ComputeDriftReplacement(view, drift.to_replace);
  blocked.Add(replace.blocked);
  if (replace.command) return replace.command;

  const BudgetMapping underutilized =
      BuildBudgetMapping(snapshot, api::DisruptionReason::kUnderutilized);
  ConsolidationDecision multi = ComputeMultiNodeConsolidation(snapshot, view, candidates,
                                                              underutilized, options.consolidation);
  if (multi.command) {
    blocked.Add(multi.blocked);
    return multi.command;
  }
  ConsolidationDecision single = ComputeSingleNodeConsolidation(
      snapshot, view, candidates, underutilized, options.consolidation);
  blocked.Add(single.blocked);
  blocked.Add(multi.blocked);
  return single.command;
}

// Emptiness, drift and expiration do not price their command; the saving is the candidates'
// hourly price minus the replacements', left unset when the catalog lacks a candidate's price
// (a guess would be worse than no number).
void FillSavings(const Snapshot& snapshot, std::vector<Command>& commands) {
  std::map<std::string_view, const SnapshotNode*> by_name;
  for (const SnapshotNode& node : snapshot.nodes) by_name.emplace(node.Name(), &node);
  for (Command& command : commands) {
    if (command.savings_per_hour) continue;
    double savings = 0;
    bool priced = true;
    for (const std::string& name : command.candidates) {
      auto node = by_name.find(name);
      std::optional<double> price =
          node != by_name.end() ? NodePrice(snapshot, *node->second) : std::nullopt;
      priced = priced && price.has_value();
      savings += price.value_or(0);
    }
    for (const Replacement& replacement : command.replacements) {
      savings -= replacement.price_per_hour;
    }
    if (priced) command.savings_per_hour = savings;
  }
}

}  // namespace

PassResult RunDisruptionPass(const Snapshot& snapshot, const SchedulingView& view,
                             const PassOptions& options) {
  PassResult result;
  std::set<std::string> expired;
  if (std::optional<Command> expiration = ExpirationCommand(snapshot)) {
    expired.insert(expiration->candidates.begin(), expiration->candidates.end());
    result.commands.push_back(*std::move(expiration));
  }
  CandidateSet set = FindCandidates(snapshot);
  BlockedList blocked;
  blocked.Add(set.blocked);
  std::erase_if(set.candidates,
                [&](const Candidate& candidate) { return expired.contains(candidate.Name()); });
  if (std::optional<Command> command =
          GracefulCommand(snapshot, view, set.candidates, options, blocked)) {
    result.commands.push_back(*std::move(command));
  }
  FillSavings(snapshot, result.commands);
  result.blocked = blocked.InOrder(snapshot, result.commands);
  return result;
}

PassResult RunDisruptionPass(const Snapshot& snapshot, const PassOptions& options) {
  return RunDisruptionPass(snapshot, BuildSchedulingView(snapshot), options);
}

}  // namespace karpenter::disruption
