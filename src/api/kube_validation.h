// Validation of the Kubernetes objects Karpenter reads (as opposed to Karpenter's own kinds,
// which are validated against upstream's CRD schemas).
#pragma once

#include "api/field_error.h"
#include "api/json.h"

namespace karpenter::api {

// Validates `object`, a v1 Pod, Node, Namespace, PersistentVolumeClaim or PersistentVolume, an
// apps/v1 Deployment, ReplicaSet, StatefulSet or DaemonSet, a policy/v1 PodDisruptionBudget, a
// scheduling.k8s.io/v1 PriorityClass or a storage.k8s.io/v1 StorageClass (picked by apiVersion
// and kind), by decoding it with its codec: every wrongly
// typed field and everything the API server would reject that matters to Karpenter is one
// FieldError, with a JSON pointer into `object` and the API server's wording. An object without
// a name (or generateName) is rejected as the API server does. Any other kind gives exactly one
// error, at /kind.
FieldErrors ValidateKubernetesObject(const Json& object);

}  // namespace karpenter::api
