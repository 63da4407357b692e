// Expiry: a NodeClaim older than its expireAfter is deleted. Forceful, as upstream v1's
// expiration controller: disruption budgets, do-not-disrupt and PDBs do not hold it back (the
// drain still honours them until the NodeClaim's terminationGracePeriod, which is the
// termination controller's business).
#pragma once

#include <optional>
#include <vector>

#include "api/model/node_claim.h"
#include "disruption/command.h"
#include "disruption/snapshot.h"

namespace karpenter::disruption {

// When `node_claim` expires: creation + spec.expireAfter (720h when absent, as the CRD
// defaults it); nullopt for Never or without a creation time.
std::optional<Time> ExpirationTime(const api::NodeClaim& node_claim);

struct ExpiredNode {
  const SnapshotNode* node = nullptr;  // points into the snapshot
  Time expired_at;
};

// Nodes whose NodeClaim has expired at `snapshot.now` (now ≥ expiration time) and is not
// already being deleted, earliest expiry first (then by name).
std::vector<ExpiredNode> FindExpired(const Snapshot& snapshot);

// One command (method expiration, reason Expired) deleting every expired node, or nullopt
// when none has expired.
std::optional<Command> ExpirationCommand(const Snapshot& snapshot);

}  // namespace karpenter::disruption
