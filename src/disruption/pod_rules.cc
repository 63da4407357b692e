#include "disruption/pod_rules.h"

#include <chrono>

#include "core/duration.h"
#include "core/taint.h"

namespace karpenter::disruption {
namespace {

bool IsOwnedBy(const api::Pod& pod, std::string_view api_version, std::string_view kind) {
  for (const api::OwnerReference& owner : pod.metadata.owner_references) {
    if (owner.api_version == api_version && owner.kind == kind) return true;
  }
  return false;
}

std::optional<Time> StartTime(const api::Pod& pod) {
  if (!pod.status.start_time) return std::nullopt;
  return FromEpochSeconds(*pod.status.start_time);
}

}  // namespace

bool IsTerminal(const api::Pod& pod) {
  return pod.status.phase == "Succeeded" || pod.status.phase == "Failed";
}

bool IsTerminating(const api::Pod& pod) { return pod.metadata.deletion_timestamp.has_value(); }

bool IsActive(const api::Pod& pod) { return !IsTerminal(pod) && !IsTerminating(pod); }

bool IsOwnedByDaemonSet(const api::Pod& pod) { return IsOwnedBy(pod, "apps/v1", "DaemonSet"); }

bool IsOwnedByStatefulSet(const api::Pod& pod) { return IsOwnedBy(pod, "apps/v1", "StatefulSet"); }

bool IsMirrorPod(const api::Pod& pod) { return IsOwnedBy(pod, "v1", "Node"); }

bool IsReschedulable(const api::Pod& pod) {
  return (IsActive(pod) || (IsOwnedByStatefulSet(pod) && IsTerminating(pod))) &&
         !IsOwnedByDaemonSet(pod) && !IsMirrorPod(pod);
}

std::string PodKey(const api::Pod& pod) {
  return pod.metadata.namespace_ + "/" + pod.metadata.name;
}

bool IsPodReady(const api::Pod& pod) {
  for (const api::PodCondition& condition : pod.status.conditions) {
    if (condition.type == "Ready") return condition.status == "True";
  }
  return pod.status.phase.empty() || pod.status.phase == "Running";
}

std::optional<std::string> DoNotDisruptReason(const api::Pod& pod, Time now) {
  if (!IsActive(pod)) return std::nullopt;
  // Keys as strings once: this runs for every pod of every node in every pass.
  static const std::string kKey(kDoNotDisruptAnnotation);
  auto it = pod.metadata.annotations.find(kKey);
  if (it == pod.metadata.annotations.end()) return std::nullopt;
  const std::string subject = "pod " + PodKey(pod) + " has " + kKey;
  if (it->second == "true") return subject;
  Result<std::chrono::nanoseconds> duration = core::ParseGoDuration(it->second);
  // Upstream ignores a value that is neither "true" nor a positive duration (and says so in an
  // event).
  if (!duration || duration->count() <= 0) return std::nullopt;
  const std::string value = "\"" + it->second + "\"";
  std::optional<Time> started = StartTime(pod);
  if (!started) return subject + ": " + value + " and the pod's start time is unknown";
  const Time until = *started + std::chrono::duration_cast<Time::duration>(*duration);
  if (now - *started >= *duration) return std::nullopt;
  return subject + ": " + value + " until " + FormatTime(until);
}

bool IsEvictable(const api::Pod& pod, Time now) {
  static const core::Taint kDisruptedTaint{"karpenter.sh/disrupted", "",
                                           core::TaintEffect::NoSchedule};
  for (const core::Toleration& toleration : pod.spec.tolerations) {
    if (core::Tolerates(toleration, kDisruptedTaint)) return false;
  }
  return IsActive(pod) && !IsMirrorPod(pod) && !DoNotDisruptReason(pod, now);
}

}  // namespace karpenter::disruption
