#include "disruption/expiration.h"

#include <algorithm>
#include <chrono>

namespace karpenter::disruption {

std::optional<Time> ExpirationTime(const api::NodeClaim& node_claim) {
  std::optional<std::chrono::nanoseconds> expire_after = node_claim.spec.ExpireAfter().value();
  if (!expire_after || !node_claim.metadata.creation_timestamp) return std::nullopt;
  return FromEpochSeconds(*node_claim.metadata.creation_timestamp) +
         std::chrono::duration_cast<Time::duration>(*expire_after);
}

std::vector<ExpiredNode> FindExpired(const Snapshot& snapshot) {
  std::vector<ExpiredNode> expired;
  for (const SnapshotNode& node : snapshot.nodes) {
    if (!node.node_claim || node.deleting) continue;
    std::optional<Time> at = ExpirationTime(*node.node_claim);
    if (at && snapshot.now >= *at) expired.push_back({&node, *at});
  }
  std::stable_sort(expired.begin(), expired.end(), [](const ExpiredNode& a, const ExpiredNode& b) {
    if (a.expired_at != b.expired_at) return a.expired_at < b.expired_at;
    return a.node->Name() < b.node->Name();
  });
  return expired;
}

std::optional<Command> ExpirationCommand(const Snapshot& snapshot) {
  std::vector<ExpiredNode> expired = FindExpired(snapshot);
  if (expired.empty()) return std::nullopt;
  Command command{Method::kExpiration, "Expired", {}, {}, std::nullopt};
  for (const ExpiredNode& node : expired) command.candidates.push_back(node.node->Name());
  return command;
}

}  // namespace karpenter::disruption
