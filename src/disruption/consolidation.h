// Consolidation: take away underutilized nodes when their pods fit elsewhere, or replace them
// with one cheaper node. Mirrors upstream Karpenter's consolidation (consolidation.go,
// multinodeconsolidation.go, singlenodeconsolidation.go and SimulateScheduling in helpers.go):
// the candidates' reschedulable pods are run through the scheduling simulation against every
// other node; no new node means delete, exactly one cheaper node means replace.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/model/workloads.h"
#include "disruption/budgets.h"
#include "disruption/candidates.h"
#include "disruption/command.h"
#include "disruption/snapshot.h"
#include "scheduling/scheduler.h"

namespace karpenter::disruption {

// Upstream's limits: spot-to-spot replacement needs this many cheaper instance types and
// launches from at most this many; multi-node consolidation looks at this many candidates.
inline constexpr size_t kMinSpotToSpotOptions = 15;
inline constexpr size_t kMaxMultiNodeCandidates = 100;

// Single-node simulations that found no command, by candidate name, with their reason. Valid
// only for the snapshot and view they ran on (time aside: the simulation does not read it).
// A caller that runs a pass again on the same input (a periodic re-check of a cluster where
// nothing changed) passes the memo of the earlier pass, and only candidates not tried then are
// simulated: single-node consolidation tries every eligible candidate until one succeeds, so
// what failed before fails again whatever the order.
struct SingleNodeMemo {
  std::map<std::string, std::string, std::less<>> failed;
};

struct ConsolidationOptions {
  // Upstream's SpotToSpotConsolidation feature gate (off by default).
  bool spot_to_spot = false;
  // nullptr: simulate every candidate.
  SingleNodeMemo* single_node_memo = nullptr;
};

// What the simulations of one pass share, built on first use (see SchedulingView::shared).
struct PassCache;

// The scheduler's view of the cluster consolidation simulates against: every node with its
// bound pods, and the NodePools with the instance types they may launch. Built once per pass.
// Simulations do not copy it: the first one prepares a scheduling::SchedulingContext from it
// (nodes being deleted left out), and every simulation runs over that context, leaving out
// only its candidates.
struct SchedulingView {
  std::vector<scheduling::ExistingNode> existing_nodes;
  std::vector<scheduling::NodePoolOption> node_pools;
  std::vector<const api::DaemonSet*> daemon_sets;
  std::map<std::string, core::Labels> namespace_labels;
  // Built from the fields above by the first simulation and kept for the rest (copies of the
  // view share it): edit the fields before simulating, not after. Not for concurrent use.
  mutable std::shared_ptr<PassCache> shared;
};

// The view of `snapshot`: every node that has a Node (labels, taints, allocatable as reported,
// else its instance type's; deleting nodes are marked for deletion), and every NodePool
// launching from `snapshot.catalog`, its in_use counted from its nodes. Points into
// `snapshot`, which must outlive it.
SchedulingView BuildSchedulingView(const Snapshot& snapshot);

// The hourly price of the offering the candidate runs on (its instance type's offering in its
// zone with its capacity type), or nullopt when the catalog does not know it.
std::optional<double> CandidatePrice(const Candidate& candidate);

// The same for any node of the snapshot (candidate or not), its type found in
// `snapshot.catalog`.
std::optional<double> NodePrice(const Snapshot& snapshot, const SnapshotNode& node);

// Runs the scheduling simulation for the candidates' reschedulable pods against every other
// node of `view` that is not being deleted.
scheduling::SchedulingResult SimulateRemoval(const SchedulingView& view,
                                             const std::vector<const Candidate*>& candidates);

// "pod default/web-1 cannot be rescheduled: <why>" for the first unschedulable pod ("" when
// every pod was placed).
std::string UnschedulableReason(const scheduling::SchedulingResult& result);

// The replacement `claim` would launch as (ChooseLaunch), or nullopt without an offering.
std::optional<Replacement> MakeReplacement(const scheduling::NewNodeClaim& claim);

// What simulating the removal of some candidates gives.
struct ConsolidationOutcome {
  // The command (candidates in the given order, replacements, savings), or nullopt with
  // `reason` saying why these candidates cannot be consolidated.
  std::optional<Command> command;
  std::string reason;
};

// Simulates taking away `candidates` (all of them at once) and decides as upstream's
// computeConsolidation: a pod that cannot be placed, or more than one new node, refuses; no new
// node deletes; one new node replaces, keeping only instance types whose worst launch price
// (the most expensive compatible offering, spot when spot is allowed) is below the candidates'
// total price, narrowed to spot when both capacity types are allowed. Replacing only spot
// nodes by spot needs options.spot_to_spot, and (for one candidate) at least
// kMinSpotToSpotOptions cheaper types; the options are then truncated to that many. When a
// candidate's NodePool is Balanced, the command also needs savings / (the NodePools' total
// price) ≥ (candidates' disruption cost / the NodePools' total disruption cost) / 2.
ConsolidationOutcome SimulateConsolidation(const Snapshot& snapshot, const SchedulingView& view,
                                           const std::vector<const Candidate*>& candidates,
                                           Method method, const ConsolidationOptions& options);

// Orders candidates as both methods try them: disruption cost, then the more expensive node
// first, then name.
void SortConsolidationCandidates(std::vector<const Candidate*>& candidates);

// The candidates whose NodePool's Underutilized budget has room (counting it down per kept
// candidate when `count_down`); the others are appended to `blocked` with the budget's reason.
std::vector<const Candidate*> FilterByBudget(const std::vector<const Candidate*>& candidates,
                                             BudgetMapping& budgets,
                                             std::vector<BlockedNode>& blocked, bool count_down);

struct ConsolidationDecision {
  std::optional<Command> command;
  // Candidates the method considered and passed over, and why (one entry per node).
  std::vector<BlockedNode> blocked;
};

// Candidates consolidation may take at all: not empty, NodePool not WhenEmpty, consolidatable,
// with a known price. The others are appended to `blocked` with their reason.
std::vector<const Candidate*> ConsolidationCandidates(const Snapshot& snapshot,
                                                      const std::vector<Candidate>& candidates,
                                                      std::vector<BlockedNode>& blocked);

// Multi-node consolidation: eligible candidates by disruption cost (then price, then name),
// those whose NodePool's Underutilized budget has room (counted down in order), the first
// kMaxMultiNodeCandidates of them; binary search for the largest prefix that simulates into a
// command. Upstream only uses a multi-node command of at least two candidates when it deletes
// or replaces; a single one is left to single-node consolidation.
ConsolidationDecision ComputeMultiNodeConsolidation(const Snapshot& snapshot,
                                                    const SchedulingView& view,
                                                    const std::vector<Candidate>& candidates,
                                                    BudgetMapping budgets,
                                                    const ConsolidationOptions& options);

// Single-node consolidation: eligible candidates by disruption cost, interleaved across
// NodePools (one from each in turn); the first whose NodePool has Underutilized budget and
// whose simulation gives a command wins.
ConsolidationDecision ComputeSingleNodeConsolidation(const Snapshot& snapshot,
                                                     const SchedulingView& view,
                                                     const std::vector<Candidate>& candidates,
                                                     BudgetMapping budgets,
                                                     const ConsolidationOptions& options);

}  // namespace karpenter::disruption
