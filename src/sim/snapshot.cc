#include "sim/snapshot.h"

#include <utility>

#include "sim/internal/snapshot_parts.h"

namespace karpenter::sim {

Result<Snapshot> BuildSnapshot(Objects objects, const SnapshotOptions& options) {
  Snapshot snapshot;
  snapshot.objects = std::move(objects);
  if (auto resolved = internal::ResolveNodePools(snapshot, options); !resolved) {
    return std::unexpected(resolved.error());
  }
  internal::BuildExistingCapacity(snapshot);
  internal::AssignDefaultStorageClass(snapshot);
  internal::BuildPods(snapshot);
  return snapshot;
}

}  // namespace karpenter::sim
