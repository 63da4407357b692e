// How much disrupting a node costs its workloads, used to order candidates (cheapest to disrupt
// first). Mirrors upstream Karpenter's pkg/utils/disruption.
#pragma once

#include <vector>

#include "api/model/node_claim.h"
#include "api/model/node_pool.h"
#include "api/model/pod.h"
#include "disruption/snapshot.h"

namespace karpenter::disruption {

// One pod's eviction cost: 1 + pod-deletion-cost / 2^27 + priority / 2^25, clamped to
// [-10, 10]. The controller.kubernetes.io/pod-deletion-cost annotation is read as a Go float
// (a value that does not parse, or is NaN or out of range, is ignored, as upstream ignores it
// after logging); a pod without spec.priority adds nothing for priority.
double EvictionCost(const api::Pod& pod);

// The sum of EvictionCost over `pods` (0 for none).
double ReschedulingCost(const std::vector<const api::Pod*>& pods);

// The fraction of the node's lifetime left, in [0, 1]: 1 − age / expireAfter, where age runs
// from the NodeClaim's creation to `now`. As upstream, expireAfter is the NodePool template's
// (not the NodeClaim's); with Never, or without a creation time, the whole lifetime is left.
double LifetimeRemaining(const api::NodePool& node_pool, const api::NodeClaim& node_claim,
                         Time now);

// A candidate's disruption cost: ReschedulingCost over every pod bound to the node (as
// upstream, not only the reschedulable ones) times LifetimeRemaining, so nodes close to
// expiry are cheap to disrupt. A node without a NodeClaim scales by 1.
double NodeDisruptionCost(const SnapshotNode& node, const api::NodePool& node_pool, Time now);

}  // namespace karpenter::disruption
