#include "api/kinds.h"

#include <array>

namespace karpenter::api {
namespace {

struct KindEntry {
  std::string_view api_version;
  std::string_view kind;
  Kind value;
};

constexpr std::array<KindEntry, 22> kKinds = {{
    {"karpenter.sh/v1", "NodePool", Kind::kNodePool},
    {"karpenter.sh/v1", "NodeClaim", Kind::kNodeClaim},
    {"karpenter.k8s.aws/v1", "EC2NodeClass", Kind::kEC2NodeClass},
    {"v1", "Pod", Kind::kPod},
    {"v1", "Node", Kind::kNode},
    {"v1", "Namespace", Kind::kNamespace},
    {"apps/v1", "Deployment", Kind::kDeployment},
    {"apps/v1", "ReplicaSet", Kind::kReplicaSet},
    {"apps/v1", "StatefulSet", Kind::kStatefulSet},
    {"apps/v1", "DaemonSet", Kind::kDaemonSet},
    {"policy/v1", "PodDisruptionBudget", Kind::kPodDisruptionBudget},
    {"scheduling.k8s.io/v1", "PriorityClass", Kind::kPriorityClass},
    {"v1", "PersistentVolumeClaim", Kind::kPersistentVolumeClaim},
    {"v1", "PersistentVolume", Kind::kPersistentVolume},
    {"storage.k8s.io/v1", "StorageClass", Kind::kStorageClass},
    {"sim.karpenter-cpp.io/v1alpha1", "InstanceType", Kind::kInstanceType},
    {"sim.karpenter-cpp.io/v1alpha1", "Scenario", Kind::kScenario},
    {"karpenter.sh/v1alpha5", "Provisioner", Kind::kProvisionerV1alpha5},
    {"karpenter.k8s.aws/v1alpha1", "AWSNodeTemplate", Kind::kAWSNodeTemplateV1alpha1},
    {"karpenter.sh/v1beta1", "NodePool", Kind::kNodePoolV1beta1},
    {"karpenter.k8s.aws/v1beta1", "EC2NodeClass", Kind::kEC2NodeClassV1beta1},
    {"karpenter.sh/v1beta1", "NodeClaim", Kind::kNodeClaimV1beta1},
}};

}  // namespace

std::string StringMember(const Json& object, std::string_view key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

Kind KindOf(std::string_view api_version, std::string_view kind) {
  for (const KindEntry& entry : kKinds) {
    if (entry.api_version == api_version && entry.kind == kind) return entry.value;
  }
  return Kind::kUnknown;
}

Kind KindOf(const Json& object) {
  return KindOf(StringMember(object, "apiVersion"), StringMember(object, "kind"));
}

bool IsLegacyKarpenterKind(Kind kind) {
  return kind == Kind::kProvisionerV1alpha5 || kind == Kind::kAWSNodeTemplateV1alpha1 ||
         kind == Kind::kNodePoolV1beta1 || kind == Kind::kEC2NodeClassV1beta1 ||
         kind == Kind::kNodeClaimV1beta1;
}

std::string DescribeObject(const Json& object) {
  std::string kind = StringMember(object, "kind");
  if (kind.empty()) kind = "<no kind>";
  const Json empty = Json::object();
  const Json& metadata =
      object.is_object() && object.contains("metadata") ? object["metadata"] : empty;
  std::string name = StringMember(metadata, "name");
  if (name.empty()) name = "<no name>";
  std::string ns = StringMember(metadata, "namespace");
  return ns.empty() ? kind + "/" + name : kind + "/" + ns + "/" + name;
}

}  // namespace karpenter::api
