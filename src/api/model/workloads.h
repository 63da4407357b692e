// apps/v1 Deployment, ReplicaSet, StatefulSet and DaemonSet: the controllers whose pods
// Karpenter provisions for. Only what decides the pods they create is modelled; the rest
// survives in `raw`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/json.h"
#include "api/model/object_meta.h"
#include "api/model/pod.h"
#include "core/label_selector.h"

namespace karpenter::api {

// core/v1 PodTemplateSpec: the metadata and spec each created pod starts from.
struct PodTemplateSpec {
  ObjectMeta metadata;
  PodSpec spec;

  friend bool operator==(const PodTemplateSpec&, const PodTemplateSpec&) = default;
};

struct Deployment {
  ObjectMeta metadata;
  int32_t replicas = 1;  // absent means 1, as the API server defaults it
  std::optional<core::LabelSelector> selector;  // required by apps/v1
  PodTemplateSpec pod_template;                  // spec.template
  Json raw;
};

struct ReplicaSet {
  ObjectMeta metadata;
  int32_t replicas = 1;
  std::optional<core::LabelSelector> selector;
  PodTemplateSpec pod_template;
  Json raw;
};

struct StatefulSet {
  ObjectMeta metadata;
  int32_t replicas = 1;
  std::optional<core::LabelSelector> selector;
  PodTemplateSpec pod_template;
  std::string service_name;
  std::string pod_management_policy = "OrderedReady";  // or Parallel
  // metadata.name of each spec.volumeClaimTemplates entry: every pod gets a PVC per template.
  std::vector<std::string> volume_claim_template_names;
  Json raw;
};

struct DaemonSet {
  ObjectMeta metadata;
  std::optional<core::LabelSelector> selector;
  PodTemplateSpec pod_template;
  Json raw;
};

}  // namespace karpenter::api
