// karpenter.sh/v1 NodeClaim: one node Karpenter has decided to launch (or has launched), and
// the parts of it a NodePool's template shares.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "api/json.h"
#include "api/model/condition.h"
#include "api/model/object_meta.h"
#include "core/duration.h"
#include "core/requirement.h"
#include "core/resource_list.h"
#include "core/taint.h"

namespace karpenter::api {

// What the CRD defaults expireAfter to when it is left out.
inline constexpr std::chrono::hours kDefaultExpireAfter{720};

// The provider object (EC2NodeClass) that holds cloud-specific launch configuration.
struct NodeClassReference {
  std::string group;  // "karpenter.k8s.aws"
  std::string kind;   // "EC2NodeClass"
  std::string name;

  friend bool operator==(const NodeClassReference&, const NodeClassReference&) = default;
};

// The fields a NodePool's template and a NodeClaim share (upstream NodeClaimTemplateSpec).
struct NodeClaimTemplateSpec {
  // Applied to the node; pods must tolerate them to be scheduled there.
  std::vector<core::Taint> taints;
  // Applied at startup and expected to be removed by a DaemonSet; pods need not tolerate them
  // for Karpenter to provision. (A taint's timeAdded is not modelled; it survives encoding
  // through the raw document.)
  std::vector<core::Taint> startup_taints;
  // Label constraints every node must satisfy; In requirements may carry minValues.
  std::vector<core::NodeSelectorRequirement> requirements;
  NodeClassReference node_class_ref;
  // How long pods may take to drain once deletion starts; nullopt waits forever.
  std::optional<std::chrono::nanoseconds> termination_grace_period;
  // Node lifetime before expiry; Never disables expiry. nullopt when absent from the document
  // (the API server defaults it to 720h): use ExpireAfter().
  std::optional<core::NillableDuration> expire_after;

  core::NillableDuration ExpireAfter() const {
    return expire_after.value_or(core::NillableDuration(kDefaultExpireAfter));
  }

  friend bool operator==(const NodeClaimTemplateSpec&, const NodeClaimTemplateSpec&) = default;
};

// A NodeClaim's spec: the template fields plus the resources the scheduler packed onto it.
struct NodeClaimSpec : NodeClaimTemplateSpec {
  core::ResourceList resource_requests;  // spec.resources.requests

  friend bool operator==(const NodeClaimSpec&, const NodeClaimSpec&) = default;
};

struct NodeClaimStatus {
  std::string node_name;    // the Node registered for this claim
  std::string provider_id;  // "aws:///us-west-2a/i-0123456789abcdef0"
  std::string image_id;     // "ami-0123456789abcdef0"
  core::ResourceList capacity;
  core::ResourceList allocatable;
  std::vector<Condition> conditions;
  // When a pod was last bound to or removed from the node (seconds since the epoch); drives
  // consolidateAfter.
  std::optional<int64_t> last_pod_event_time;

  friend bool operator==(const NodeClaimStatus&, const NodeClaimStatus&) = default;
};

struct NodeClaim {
  ObjectMeta metadata;
  NodeClaimSpec spec;
  NodeClaimStatus status;
  // The document this was decoded from; encoding writes over it so unknown fields survive.
  Json raw;
};

}  // namespace karpenter::api
