#include "api/kube_validation.h"

#include <string>

#include "api/codec/namespace_codec.h"
#include "api/codec/node_codec.h"
#include "api/codec/pdb_codec.h"
#include "api/codec/persistent_volume_codec.h"
#include "api/codec/pod_codec.h"
#include "api/codec/priority_class_codec.h"
#include "api/codec/storage_class_codec.h"
#include "api/codec/workload_codec.h"
#include "api/kinds.h"

namespace karpenter::api {
namespace {

std::string StringAt(const Json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// Decodes with the codec of `kind`; returns false when there is none.
bool Decode(Kind kind, const Json& object, FieldErrors& errors) {
  switch (kind) {
    case Kind::kPod: codec::DecodePod(object, errors); return true;
    case Kind::kNode: codec::DecodeNode(object, errors); return true;
    case Kind::kNamespace: codec::DecodeNamespace(object, errors); return true;
    case Kind::kDeployment: codec::DecodeDeployment(object, errors); return true;
    case Kind::kReplicaSet: codec::DecodeReplicaSet(object, errors); return true;
    case Kind::kStatefulSet: codec::DecodeStatefulSet(object, errors); return true;
    case Kind::kDaemonSet: codec::DecodeDaemonSet(object, errors); return true;
    case Kind::kPodDisruptionBudget: codec::DecodePodDisruptionBudget(object, errors); return true;
    case Kind::kPriorityClass: codec::DecodePriorityClass(object, errors); return true;
    case Kind::kPersistentVolumeClaim:
      codec::DecodePersistentVolumeClaim(object, errors);
      return true;
    case Kind::kPersistentVolume: codec::DecodePersistentVolume(object, errors); return true;
    case Kind::kStorageClass: codec::DecodeStorageClass(object, errors); return true;
    default: return false;
  }
}

}  // namespace

FieldErrors ValidateKubernetesObject(const Json& object) {
  FieldErrors errors;
  if (!object.is_object()) {
    errors.push_back({"", "must be an object"});
    return errors;
  }
  const Kind kind = KindOf(object);
  if (!Decode(kind, object, errors)) {
    errors.push_back({"/kind", "not a Kubernetes kind karpenter-cpp reads: " +
                                   StringAt(object, "apiVersion") + " " +
                                   StringAt(object, "kind")});
    return errors;
  }
  const Json empty = Json::object();
  const Json& metadata = object.contains("metadata") ? object["metadata"] : empty;
  if (StringAt(metadata, "name").empty() && StringAt(metadata, "generateName").empty()) {
    errors.insert(errors.begin(),
                  {"/metadata/name", "Required value: name or generateName is required"});
  }
  return errors;
}

}  // namespace karpenter::api
