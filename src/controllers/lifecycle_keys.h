// The label, taint, finalizer, annotation and condition names the provisioner and the NodeClaim
// lifecycle controller write, as upstream Karpenter spells them (sigs.k8s.io/karpenter
// pkg/apis/v1), and a few helpers both controllers use on objects' metadata and conditions.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/model/condition.h"
#include "api/model/object_meta.h"
#include "core/clock.h"
#include "core/taint.h"

namespace karpenter::controllers {

inline constexpr std::string_view kNodePoolLabel = "karpenter.sh/nodepool";
inline constexpr std::string_view kRegisteredLabel = "karpenter.sh/registered";
inline constexpr std::string_view kInitializedLabel = "karpenter.sh/initialized";
// On NodeClaims (set by the provisioner) and on their Nodes (set at registration): the
// object may only go once Karpenter has cleaned up behind it.
inline constexpr std::string_view kTerminationFinalizer = "karpenter.sh/termination";
// Every node Karpenter launches starts with this taint; registration removes it.
inline constexpr std::string_view kUnregisteredTaintKey = "karpenter.sh/unregistered";
inline constexpr std::string_view kKarpenterApiVersion = "karpenter.sh/v1";

// NodeClaim condition types.
inline constexpr std::string_view kConditionLaunched = "Launched";
inline constexpr std::string_view kConditionRegistered = "Registered";
inline constexpr std::string_view kConditionInitialized = "Initialized";
inline constexpr std::string_view kConditionInstanceTerminating = "InstanceTerminating";

// Seconds since the epoch, the API model's time unit.
inline int64_t EpochSeconds(core::Time time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}
inline core::Time FromEpochSeconds(int64_t seconds) {
  return core::Time(std::chrono::seconds(seconds));
}

// Sets condition `type` to `status`. As metav1 conditions behave, lastTransitionTime only
// moves when the status changes; reason and message are always replaced.
inline void SetCondition(std::vector<api::Condition>& conditions, std::string_view type,
                         std::string_view status, core::Time now, std::string reason = {},
                         std::string message = {}) {
  for (api::Condition& condition : conditions) {
    if (condition.type != type) continue;
    if (condition.status != status) {
      condition.status = std::string(status);
      condition.last_transition_time = EpochSeconds(now);
    }
    condition.reason = std::move(reason);
    condition.message = std::move(message);
    return;
  }
  api::Condition condition;
  condition.type = std::string(type);
  condition.status = std::string(status);
  condition.last_transition_time = EpochSeconds(now);
  condition.reason = std::move(reason);
  condition.message = std::move(message);
  conditions.push_back(std::move(condition));
}

inline bool IsConditionTrue(const std::vector<api::Condition>& conditions, std::string_view type) {
  const api::Condition* condition = api::FindCondition(conditions, type);
  return condition != nullptr && condition->IsTrue();
}

inline bool HasFinalizer(const api::ObjectMeta& metadata, std::string_view finalizer) {
  return std::ranges::find(metadata.finalizers, finalizer) != metadata.finalizers.end();
}

// Taints match by key and effect, as upstream's MatchTaint (the value is not compared).
inline bool MatchesTaint(const core::Taint& a, const core::Taint& b) {
  return a.key == b.key && a.effect == b.effect;
}
inline bool HasTaint(const std::vector<core::Taint>& taints, const core::Taint& wanted) {
  return std::ranges::any_of(taints, [&](const core::Taint& t) { return MatchesTaint(t, wanted); });
}

inline core::Taint UnregisteredTaint() {
  return core::Taint{std::string(kUnregisteredTaintKey), "", core::TaintEffect::NoExecute};
}

}  // namespace karpenter::controllers
