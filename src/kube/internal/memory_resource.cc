// The one place the typed stores are compiled (memory_resource.h declares them extern).
#include "kube/internal/memory_resource.h"

namespace karpenter::kube::internal {

template class MemoryResource<api::Pod>;
template class MemoryResource<api::Node>;
template class MemoryResource<api::NodeClaim>;
template class MemoryResource<api::NodePool>;
template class MemoryResource<api::EC2NodeClass>;
template class MemoryResource<api::PodDisruptionBudget>;
template class MemoryResource<api::Deployment>;
template class MemoryResource<api::ReplicaSet>;
template class MemoryResource<api::StatefulSet>;
template class MemoryResource<api::DaemonSet>;
template class MemoryResource<api::Namespace>;
template class MemoryResource<api::PriorityClass>;

}  // namespace karpenter::kube::internal
