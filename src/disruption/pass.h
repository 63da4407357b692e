// One disruption pass: what Karpenter's disruption controller would do next. Graceful methods
// run in upstream's order (emptiness, drift, multi-node consolidation, single-node
// consolidation) and the first that produces a command wins; expiry is forceful and decided
// separately, before them.
#pragma once

#include <vector>

#include "disruption/candidates.h"
#include "disruption/command.h"
#include "disruption/consolidation.h"
#include "disruption/snapshot.h"

namespace karpenter::disruption {

struct PassOptions {
  ConsolidationOptions consolidation;
};

struct PassResult {
  // The expiration command (if any) first, then the graceful method's command (if any).
  std::vector<Command> commands;
  // Every node that is in no command and was not a candidate, or that a method that ran
  // passed over, with the first reason found; in snapshot order.
  std::vector<BlockedNode> blocked;
};

// Runs the pass over `snapshot`, simulating against `view` (BuildSchedulingView(snapshot)
// unless the caller has a better one). Expired nodes are left out of the graceful methods.
PassResult RunDisruptionPass(const Snapshot& snapshot, const SchedulingView& view,
                             const PassOptions& options = {});
PassResult RunDisruptionPass(const Snapshot& snapshot, const PassOptions& options = {});

}  // namespace karpenter::disruption
