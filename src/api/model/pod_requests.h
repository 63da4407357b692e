// What a pod asks the scheduler for: Kubernetes' effective pod requests
// (k8s.io/component-helpers/resource PodRequests), which Karpenter uses to size nodes.
#pragma once

#include "api/model/pod.h"
#include "core/resource_list.h"

namespace karpenter::api {

// A container's requests, where a resource with only a limit requests its limit (the API
// server's defaulting of requests from limits, applied here so manifests that were never
// through an API server read the same).
core::ResourceList ContainerRequests(const Container& container);

// The pod's effective requests, per resource:
//   max( sum of regular containers + sum of sidecars,
//        max over init containers i of (request of i + sidecars declared before i) )
//   + overhead.
// A sidecar (an init container with restartPolicy Always) keeps running, so it adds to the
// steady-state sum and to every init container that starts after it; for its own start step
// the sidecars up to and including itself count. The `pods: 1` every pod uses is NOT added;
// the scheduler adds it.
core::ResourceList EffectiveRequests(const PodSpec& spec);
core::ResourceList EffectiveRequests(const Pod& pod);

}  // namespace karpenter::api
