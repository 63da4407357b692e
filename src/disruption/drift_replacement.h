// Replacing non-empty drifted nodes: each needs replacements that fit every one of its pods
// (the scheduling simulation), and one node goes per command, as upstream's Drift method does.
#pragma once

#include <optional>
#include <vector>

#include "disruption/candidates.h"
#include "disruption/command.h"
#include "disruption/consolidation.h"
#include "disruption/drift.h"
#include "disruption/snapshot.h"

namespace karpenter::disruption {

struct DriftReplacementDecision {
  // Method drift, reason Drifted, the first of `to_replace` (in order) whose pods all fit
  // (elsewhere or on new nodes, as many as needed, no price check); nullopt when none does.
  std::optional<Command> command;
  // Drifted nodes tried before it whose pods do not all fit, and why.
  std::vector<BlockedNode> blocked;
};

DriftReplacementDecision ComputeDriftReplacement(const SchedulingView& view,
                                                 const std::vector<DriftedCandidate>& to_replace);

}  // namespace karpenter::disruption
