// NodePool disruption budgets: how many of a NodePool's nodes a disruption method may take at
// once, per reason (Empty, Drifted, Underutilized), honouring cron windows. Mirrors upstream
// Karpenter's Budget.IsActive / GetAllowedDisruptions and the disruption controller's
// BuildDisruptionBudgetMapping.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/model/node_pool.h"
#include "core/result.h"
#include "disruption/snapshot.h"

namespace karpenter::disruption {

// What "no limit" is: upstream's math.MaxInt32.
inline constexpr int64_t kUnbounded = INT32_MAX;

// Whether `budget` applies at `now`. Without schedule and duration it always does. Otherwise,
// as upstream, it does when the schedule's first firing after now − duration is at or before
// now, i.e. the schedule fired within the last `duration` (a firing exactly `duration` ago no
// longer counts); a schedule that never fires within robfig's five-year search counts as
// active (upstream's quirk). A schedule without duration never applies; a duration without
// schedule, or a schedule that does not parse, is an error.
Result<bool> IsBudgetActive(const api::Budget& budget, Time now);

// The nodes `budget` lets be disrupted out of `node_count`: kUnbounded when inactive, else its
// `nodes` (a percentage of node_count rounded up). An error (see IsBudgetActive) fails closed.
Result<int64_t> BudgetAllowed(const api::Budget& budget, int64_t node_count, Time now);

// The budgets of `node_pool` as the API server defaults them: a single 10% budget when none
// are written.
std::vector<api::Budget> EffectiveBudgets(const api::NodePool& node_pool);

// One NodePool's allowance for one reason.
struct BudgetStatus {
  std::string node_pool;
  api::DisruptionReason reason = api::DisruptionReason::kEmpty;
  // Managed, initialized nodes of the NodePool.
  int64_t node_count = 0;
  // Of those, nodes being deleted or not Ready: already unavailable.
  int64_t disrupting = 0;
  // The minimum over active budgets that apply to the reason (a budget without reasons applies
  // to all); kUnbounded when none is active; 0 when any budget's schedule is invalid.
  int64_t budget = kUnbounded;
  // max(budget − disrupting, 0): how many more nodes may be disrupted now.
  int64_t allowed = 0;
  // Invalid budgets (with their index) that closed the NodePool, for the reason text.
  std::vector<std::string> errors;
  // The active budget that sets `budget` (among equals, one without a schedule, else the
  // first), for the reason text; nullopt when none applies.
  struct Limit {
    size_t index = 0;  // in EffectiveBudgets
    api::Budget budget;
    // For a scheduled budget: the end of its current window (see WindowEnd), so a person
    // knows when the NodePool opens again.
    std::optional<Time> until;
  };
  std::optional<Limit> limiting;
};

// How many consecutive overlapping firings WindowEnd follows before giving up.
inline constexpr int kMaxWindowFirings = 1000;

// The end of `budget`'s window open at `now`: its last firing plus duration, extended while the
// schedule fires again before the window ends. nullopt when the budget is not scheduled, is not
// active at `now`, has no fixed firings (@every), or its windows overlap for more than
// kMaxWindowFirings firings (it then never lapses in practice, e.g. "* * * * *" for 1h).
std::optional<Time> WindowEnd(const api::Budget& budget, Time now);

// AllowedDisruptions for `node_pool` and `reason`, given its node counts. As upstream, an
// invalid schedule in any budget, whatever its reasons, closes the NodePool for every reason.
BudgetStatus ComputeBudget(const api::NodePool& node_pool, api::DisruptionReason reason,
                           int64_t node_count, int64_t disrupting, Time now);

using BudgetMapping = std::map<std::string, BudgetStatus, std::less<>>;

// ComputeBudget for every NodePool of the snapshot. Counts, as upstream, nodes that have a
// NodeClaim and are initialized, grouped by their karpenter.sh/nodepool label; a counted node
// is disrupting when it is being deleted or not Ready (SnapshotNode::Ready).
BudgetMapping BuildBudgetMapping(const Snapshot& snapshot, api::DisruptionReason reason);

// "budget for reason Empty in NodePool \"x\" is exhausted (0 of 10 nodes may be disrupted at
// once; 1 already disrupting or not ready)", with the errors of invalid budgets when they closed
// it, and, when a scheduled budget sets the limit, which one and until when: "...; budgets[1]
// (nodes \"0\", schedule \"0 23 * * *\", duration 20h0m0s) applies until
// 2024-05-28T19:00:00Z)".
std::string BudgetExhaustedReason(const BudgetStatus& status);

}  // namespace karpenter::disruption
