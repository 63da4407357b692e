// What the consolidation simulations of one pass share, built on first use and kept in the
// SchedulingView (SchedulingView::shared): the scheduler's prepared cluster, and each node's
// price and disruption cost for the Balanced policy's fractions.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "disruption/consolidation.h"
#include "disruption/snapshot.h"
#include "scheduling/scheduler.h"

namespace karpenter::disruption {

struct PassCache {
  // Prepares `view`'s nodes that are not being deleted, with its NodePools, DaemonSets and
  // namespace labels.
  explicit PassCache(const SchedulingView& view);

  scheduling::SchedulingContext context;

  // Per node of `economics_of` (in its order): counted (a NodeClaim and a Node), price
  // (CandidatePrice, 0 when unknown) and disruption cost under its NodePool (0 without one);
  // and per NodePool the totals over its counted nodes, added up in snapshot order.
  const Snapshot* economics_of = nullptr;
  std::vector<uint8_t> counted;
  std::vector<double> price;
  std::vector<double> cost;
  std::map<std::string, std::pair<double, double>, std::less<>> pool_totals;
};

// The view's PassCache, built on first use.
PassCache& SharedOf(const SchedulingView& view);

// The total price and disruption cost of the nodes (with a NodeClaim and a Node) of `pools`,
// added up in snapshot order.
std::pair<double, double> PoolTotals(const Snapshot& snapshot, const SchedulingView& view,
                                     const std::set<std::string>& pools);

}  // namespace karpenter::disruption
