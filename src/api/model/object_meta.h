// metav1.ObjectMeta and metav1.OwnerReference: the fields Karpenter reads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/requirements.h"

namespace karpenter::api {

using Labels = core::Labels;

struct OwnerReference {
  std::string api_version;
  std::string kind;
  std::string name;
  std::string uid;
  bool controller = false;
  bool block_owner_deletion = false;

  friend bool operator==(const OwnerReference&, const OwnerReference&) = default;
};

struct ObjectMeta {
  std::string name;
  std::string generate_name;
  std::string namespace_;  // empty for cluster-scoped objects
  std::string uid;
  std::string resource_version;
  int64_t generation = 0;
  Labels labels;
  std::map<std::string, std::string> annotations;
  std::vector<std::string> finalizers;
  std::vector<OwnerReference> owner_references;
  // Seconds since the Unix epoch (RFC 3339 on the wire).
  std::optional<int64_t> creation_timestamp;
  std::optional<int64_t> deletion_timestamp;

  friend bool operator==(const ObjectMeta&, const ObjectMeta&) = default;
};

}  // namespace karpenter::api
