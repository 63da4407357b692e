// The steps of BuildSnapshot (sim/snapshot.h), one file each. Internal to the sim layer.
#pragma once

#include <string>
#include <string_view>

#include "api/diagnostic.h"
#include "catalog/instance_type.h"
#include "core/result.h"
#include "sim/snapshot.h"

namespace karpenter::sim::internal {

// A warning (or error) about `object` ("NodePool/default"), with no file position: the
// snapshot works on decoded objects.
api::Diagnostic ObjectDiagnostic(api::Severity severity, std::string object, std::string message);

// Fills snapshot.catalogs and snapshot.node_pools (in_use left empty) from the NodePools and
// EC2NodeClasses of snapshot.objects. Fails when the needed catalog cannot be loaded.
Result<void> ResolveNodePools(Snapshot& snapshot, const SnapshotOptions& options);

// The instance type called `name` in the catalog of NodePool `node_pool` (when it is ready),
// else in any catalog of the snapshot; nullptr when none has it.
const catalog::InstanceType* FindInstanceType(const Snapshot& snapshot, std::string_view node_pool,
                                              std::string_view name);

// Fills snapshot.existing_nodes from the Nodes and NodeClaims of snapshot.objects (no pods
// yet), then each ready NodePool's in_use from them.
void BuildExistingCapacity(Snapshot& snapshot);

// Gives every unbound PersistentVolumeClaim of snapshot.objects without storageClassName the
// default StorageClass, as the API server does; leaves them alone when no class is the default.
void AssignDefaultStorageClass(Snapshot& snapshot);

// Fills snapshot.pods (input pods, then workload replicas), binds pods with spec.nodeName to
// their existing node, and groups the pending ones into snapshot.rounds, with their volume
// topology, or into snapshot.rejected.
void BuildPods(Snapshot& snapshot);

}  // namespace karpenter::sim::internal
