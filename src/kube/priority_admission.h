// The API server's Priority admission plugin, applied to every pod the in-memory cluster
// creates: a pod's spec.priority (and spec.preemptionPolicy) come from its PriorityClass.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "api/model/pod.h"
#include "api/model/priority_class.h"
#include "kube/api_error.h"
#include "kube/cluster.h"

namespace karpenter::kube {

// The two classes every API server creates at startup (kube-apiserver's bootstrap).
inline constexpr std::string_view kSystemClusterCriticalClass = "system-cluster-critical";
inline constexpr std::string_view kSystemNodeCriticalClass = "system-node-critical";
inline constexpr int32_t kSystemClusterCriticalPriority = 2'000'000'000;
inline constexpr int32_t kSystemNodeCriticalPriority = 2'000'001'000;

// Resolves `pod`'s priority from `classes` (the stored PriorityClasses), as the plugin does on
// create:
//  - priorityClassName names a class: the pod gets its value and preemption policy; an unknown
//    name is refused (kForbidden, "no PriorityClass with name X was found"). The two system
//    classes are known even when not stored.
//  - no name: the globalDefault class (the lowest value when several claim it) is named and
//    applied; without one the priority is 0.
//  - a spec.priority or spec.preemptionPolicy that differs from the class's is refused
//    (kForbidden), as upstream. One deviation: a pod naming no class but carrying spec.priority
//    is admitted as it is (upstream refuses any value but the global default's, or 0 without
//    one); tests and stand-ins state priorities that way.
std::optional<ApiError> AdmitPodPriority(api::Pod& pod,
                                         const std::vector<ObjectPtr<api::PriorityClass>>& classes);

}  // namespace karpenter::kube
