// core/v1 Pod: the fields Karpenter's scheduling simulation and disruption logic read. Fields
// not modelled here survive in `raw`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/json.h"
#include "api/model/affinity.h"
#include "api/model/object_meta.h"
#include "api/model/priority_class.h"
#include "core/label_selector.h"
#include "core/resource_list.h"
#include "core/taint.h"

namespace karpenter::api {

inline constexpr std::string_view kDefaultSchedulerName = "default-scheduler";
inline constexpr int64_t kDefaultTerminationGracePeriodSeconds = 30;

struct ContainerPort {
  std::string name;
  int32_t container_port = 0;
  // 0 means no host port. A host port makes the pod conflict with any other pod using the same
  // (host_ip, protocol, host_port) on a node.
  int32_t host_port = 0;
  std::string protocol = "TCP";  // TCP, UDP or SCTP; defaulted to TCP as the API server does
  std::string host_ip;           // empty means every address (0.0.0.0)

  friend bool operator==(const ContainerPort&, const ContainerPort&) = default;
};

struct ResourceRequirements {
  core::ResourceList requests;
  core::ResourceList limits;

  friend bool operator==(const ResourceRequirements&, const ResourceRequirements&) = default;
};

struct Container {
  std::string name;
  ResourceRequirements resources;
  std::vector<ContainerPort> ports;
  // Only "Always" is valid, and only on init containers, where it makes the container a
  // sidecar: started in order with the init containers, then running beside the regular ones.
  std::optional<std::string> restart_policy;

  bool RestartsAlways() const { return restart_policy == "Always"; }
  friend bool operator==(const Container&, const Container&) = default;
};

enum class UnsatisfiableConstraintAction { kDoNotSchedule, kScheduleAnyway };
// "DoNotSchedule" or "ScheduleAnyway".
inline std::string_view ToString(UnsatisfiableConstraintAction action) {
  return action == UnsatisfiableConstraintAction::kScheduleAnyway ? "ScheduleAnyway"
                                                                  : "DoNotSchedule";
}

// Whether node affinity / taints decide which nodes count as topology domains.
enum class NodeInclusionPolicy { kHonor, kIgnore };
// "Honor" or "Ignore".
inline std::string_view ToString(NodeInclusionPolicy policy) {
  return policy == NodeInclusionPolicy::kIgnore ? "Ignore" : "Honor";
}

struct TopologySpreadConstraint {
  int32_t max_skew = 0;  // >= 1
  std::string topology_key;
  UnsatisfiableConstraintAction when_unsatisfiable = UnsatisfiableConstraintAction::kDoNotSchedule;
  std::optional<core::LabelSelector> label_selector;  // nullopt counts no pods
  std::optional<int32_t> min_domains;                 // only with DoNotSchedule
  std::optional<NodeInclusionPolicy> node_affinity_policy;  // nullopt: Honor
  std::optional<NodeInclusionPolicy> node_taints_policy;    // nullopt: Ignore
  std::vector<std::string> match_label_keys;

  NodeInclusionPolicy EffectiveNodeAffinityPolicy() const {
    return node_affinity_policy.value_or(NodeInclusionPolicy::kHonor);
  }
  NodeInclusionPolicy EffectiveNodeTaintsPolicy() const {
    return node_taints_policy.value_or(NodeInclusionPolicy::kIgnore);
  }
  friend bool operator==(const TopologySpreadConstraint&,
                         const TopologySpreadConstraint&) = default;
};

// A volume. Only claim-backed sources are modelled (Karpenter reads their storage class and
// zone): a PersistentVolumeClaim reference, or a generic ephemeral volume, whose claim the
// ephemeral volume controller names "<pod name>-<volume name>". Every other volume source (and
// the ephemeral volumeClaimTemplate) stays in the pod's raw Json.
struct Volume {
  std::string name;
  std::optional<std::string> claim_name;  // persistentVolumeClaim.claimName
  bool ephemeral = false;                 // an `ephemeral` source

  friend bool operator==(const Volume&, const Volume&) = default;
};

struct PodSpec {
  std::string node_name;  // set once the pod is bound
  Labels node_selector;
  Affinity affinity;
  std::vector<core::Toleration> tolerations;
  std::vector<TopologySpreadConstraint> topology_spread_constraints;
  std::vector<Container> init_containers;
  std::vector<Container> containers;
  core::ResourceList overhead;  // RuntimeClass overhead, added to the pod's requests
  std::optional<int32_t> priority;
  std::string priority_class_name;
  std::optional<PreemptionPolicy> preemption_policy;
  std::string scheduler_name = std::string(kDefaultSchedulerName);
  std::optional<std::string> runtime_class_name;
  std::vector<Volume> volumes;
  int64_t termination_grace_period_seconds = kDefaultTerminationGracePeriodSeconds;

  friend bool operator==(const PodSpec&, const PodSpec&) = default;
};

struct PodCondition {
  std::string type;    // PodScheduled, Ready, ...
  std::string status;  // True, False, Unknown
  std::string reason;  // e.g. Unschedulable on PodScheduled=False
  std::string message;
  std::optional<int64_t> last_transition_time;

  friend bool operator==(const PodCondition&, const PodCondition&) = default;
};

struct PodStatus {
  std::string phase;  // Pending, Running, Succeeded, Failed, Unknown
  std::vector<PodCondition> conditions;
  std::string nominated_node_name;
  // When the kubelet started the pod (seconds since the epoch); absent before.
  std::optional<int64_t> start_time;

  friend bool operator==(const PodStatus&, const PodStatus&) = default;
};

struct Pod {
  ObjectMeta metadata;
  PodSpec spec;
  PodStatus status;
  Json raw;
};

}  // namespace karpenter::api
