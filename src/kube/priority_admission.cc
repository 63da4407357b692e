#include "kube/priority_admission.h"

#include <string>

namespace karpenter::kube {
namespace {

struct Resolved {
  std::string class_name;
  int32_t value = 0;
  api::PreemptionPolicy policy = api::PreemptionPolicy::kPreemptLowerPriority;
};

Resolved FromClass(const api::PriorityClass& priority_class) {
  return {priority_class.metadata.name, priority_class.value,
          priority_class.preemption_policy.value_or(api::PreemptionPolicy::kPreemptLowerPriority)};
}

std::optional<Resolved> Builtin(std::string_view name) {
  if (name == kSystemClusterCriticalClass) {
    return Resolved{std::string(name), kSystemClusterCriticalPriority};
  }
  if (name == kSystemNodeCriticalClass) {
    return Resolved{std::string(name), kSystemNodeCriticalPriority};
  }
  return std::nullopt;
}

// As upstream: should more than one class be globalDefault (a race when they were created),
// the one with the lowest value is used.
const api::PriorityClass* GlobalDefault(const std::vector<ObjectPtr<api::PriorityClass>>& classes) {
  const api::PriorityClass* found = nullptr;
  for (const ObjectPtr<api::PriorityClass>& priority_class : classes) {
    if (!priority_class->global_default) continue;
    if (found == nullptr || priority_class->value < found->value) found = priority_class.get();
  }
  return found;
}

ApiError Forbidden(const api::Pod& pod, const std::string& why) {
  return ApiError{ApiErrorCode::kForbidden,
                  "pods \"" + pod.metadata.name + "\" is forbidden: " + why};
}

}  // namespace

std::optional<ApiError> AdmitPodPriority(
    api::Pod& pod, const std::vector<ObjectPtr<api::PriorityClass>>& classes) {
  std::optional<Resolved> resolved;
  if (!pod.spec.priority_class_name.empty()) {
    for (const ObjectPtr<api::PriorityClass>& priority_class : classes) {
      if (priority_class->metadata.name == pod.spec.priority_class_name) {
        resolved = FromClass(*priority_class);
        break;
      }
    }
    if (!resolved) resolved = Builtin(pod.spec.priority_class_name);
    if (!resolved) {
      return Forbidden(pod,
                       "no PriorityClass with name " + pod.spec.priority_class_name + " was found");
    }
  } else if (pod.spec.priority) {
    return std::nullopt;  // the deviation documented in the header: kept as given
  } else if (const api::PriorityClass* global_default = GlobalDefault(classes)) {
    resolved = FromClass(*global_default);
  } else {
    resolved = Resolved{};  // no class at all: priority 0, PreemptLowerPriority
  }
  if (pod.spec.priority && *pod.spec.priority != resolved->value) {
    return Forbidden(pod, "the integer value of priority (" + std::to_string(*pod.spec.priority) +
                              ") must not be provided in pod spec; the PriorityClass gives " +
                              std::to_string(resolved->value));
  }
  if (pod.spec.preemption_policy && *pod.spec.preemption_policy != resolved->policy) {
    return Forbidden(pod, "the preemptionPolicy " +
                              std::string(api::ToString(*pod.spec.preemption_policy)) +
                              " must not be provided in pod spec; the PriorityClass gives " +
                              std::string(api::ToString(resolved->policy)));
  }
  pod.spec.priority_class_name = resolved->class_name;
  pod.spec.priority = resolved->value;
  pod.spec.preemption_policy = resolved->policy;
  return std::nullopt;
}

}  // namespace karpenter::kube
