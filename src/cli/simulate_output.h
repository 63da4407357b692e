// What `karpenter simulate` prints for people: the NodeClaims to launch, pods placed on
// existing capacity, unschedulable pods with their reasons, and the cost beside its lower bound.
// (`-o json` prints sim::PlanToJson, the contract for programs.)
#pragma once

#include <iosfwd>

#include "sim/simulation.h"

namespace karpenter::cli {

// One line per NodeClaim (name, NodePool, round, instance type, zone, capacity type, $/hour,
// pod count, cpu and memory requests as a share of the type's allocatable), then placements on
// existing nodes, unschedulable pods with reasons, total cost, lower bound and the gap, and a
// footnote when a price is modelled rather than published.
void WritePlanTable(const sim::Plan& plan, std::ostream& out);

}  // namespace karpenter::cli
