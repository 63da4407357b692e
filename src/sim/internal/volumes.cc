// Storage as the API server stores it: claims without a class get the default one.
#include <cstdint>

#include "sim/internal/snapshot_parts.h"

namespace karpenter::sim::internal {
namespace {

// The default StorageClass as the API server picks it: among the classes marked default, the
// newest (by creationTimestamp), then the first by name; nullptr when none is marked.
const api::StorageClass* DefaultStorageClass(const std::vector<api::StorageClass>& classes) {
  const api::StorageClass* best = nullptr;
  for (const api::StorageClass& candidate : classes) {
    if (!candidate.IsDefault()) continue;
    if (best == nullptr) {
      best = &candidate;
      continue;
    }
    const int64_t created = candidate.metadata.creation_timestamp.value_or(0);
    const int64_t best_created = best->metadata.creation_timestamp.value_or(0);
    if (created > best_created ||
        (created == best_created && candidate.metadata.name < best->metadata.name)) {
      best = &candidate;
    }
  }
  return best;
}

}  // namespace

void AssignDefaultStorageClass(Snapshot& snapshot) {
  Objects& objects = snapshot.objects;
  const api::StorageClass* default_class = DefaultStorageClass(objects.storage_classes);
  if (default_class == nullptr) return;
  // The DefaultStorageClass admission plugin fills in new claims; the PV controller fills in
  // older unbound ones once a default exists. Either way an unbound claim ends up with it.
  for (api::PersistentVolumeClaim& claim : objects.persistent_volume_claims) {
    if (claim.storage_class_name || !claim.volume_name.empty()) continue;
    claim.storage_class_name = default_class->metadata.name;
  }
}

}  // namespace karpenter::sim::internal
