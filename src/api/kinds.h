// The kinds of object karpenter-cpp reads, identified by apiVersion and kind.
#pragma once

#include <string>
#include <string_view>

#include "api/json.h"

namespace karpenter::api {

enum class Kind {
  kUnknown,
  // karpenter.sh/v1, karpenter.k8s.aws/v1: validated against upstream's CRD schemas.
  kNodePool,
  kNodeClaim,
  kEC2NodeClass,
  // Kubernetes objects Karpenter reads.
  kPod,
  kNode,
  kNamespace,
  kDeployment,
  kReplicaSet,
  kStatefulSet,
  kDaemonSet,
  kPodDisruptionBudget,
  kPriorityClass,
  kPersistentVolumeClaim,
  kPersistentVolume,
  kStorageClass,
  // sim.karpenter-cpp.io/v1alpha1: custom instance-type catalogs for simulations.
  kInstanceType,
  // sim.karpenter-cpp.io/v1alpha1: a `karpenter replay` scenario (sim/scenario.h checks it).
  kScenario,
  // Older Karpenter APIs that `karpenter convert` turns into v1.
  kProvisionerV1alpha5,
  kAWSNodeTemplateV1alpha1,
  kNodePoolV1beta1,
  kEC2NodeClassV1beta1,
  kNodeClaimV1beta1,
};

Kind KindOf(std::string_view api_version, std::string_view kind);

// Kind of a Json object from its apiVersion and kind fields (kUnknown when absent).
Kind KindOf(const Json& object);

bool IsLegacyKarpenterKind(Kind kind);

// The string member `key` of `object`, or "" when absent or not a string. Never throws.
std::string StringMember(const Json& object, std::string_view key);

// "NodePool/default", "Pod/team-a/web-0": how messages name an object.
std::string DescribeObject(const Json& object);

}  // namespace karpenter::api
