// Small builders and a watch recorder shared by the kube tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "kube/cluster.h"
#include "kube/memory_cluster.h"

namespace karpenter::kube::testing {

// 2024-01-01T00:00:00Z.
inline constexpr int64_t kStartSeconds = 1704067200;

inline core::Time StartTime() { return core::Time{std::chrono::seconds(kStartSeconds)}; }

template <class T>
T Named(std::string ns, std::string name, api::Labels labels = {}) {
  T object;
  object.metadata.namespace_ = std::move(ns);
  object.metadata.name = std::move(name);
  object.metadata.labels = std::move(labels);
  return object;
}

inline api::Pod MakePod(std::string ns, std::string name, api::Labels labels = {}) {
  return Named<api::Pod>(std::move(ns), std::move(name), std::move(labels));
}

// A Running pod with Ready=True.
inline api::Pod ReadyPod(std::string ns, std::string name, api::Labels labels = {}) {
  api::Pod pod = MakePod(std::move(ns), std::move(name), std::move(labels));
  pod.status.phase = "Running";
  pod.status.conditions.push_back(api::PodCondition{"Ready", "True", "", "", std::nullopt});
  return pod;
}

// A Running pod with Ready=False.
inline api::Pod UnreadyPod(std::string ns, std::string name, api::Labels labels = {}) {
  api::Pod pod = ReadyPod(std::move(ns), std::move(name), std::move(labels));
  pod.status.conditions.front().status = "False";
  return pod;
}

inline api::OwnerReference OwnerRef(std::string kind, const api::ObjectMeta& owner,
                                    bool controller = true) {
  api::OwnerReference reference;
  reference.api_version = "v1";
  reference.kind = std::move(kind);
  reference.name = owner.name;
  reference.uid = owner.uid;
  reference.controller = controller;
  reference.block_owner_deletion = true;
  return reference;
}

// Records every event a Resource's watch delivers as "ADDED default/web rv=3".
class Recorder {
 public:
  template <class T>
  void Attach(Resource<T>& resource, std::string label = "") {
    resource.Watch([this, label](const WatchEvent<T>& event) {
      const api::ObjectMeta& meta = event.object->metadata;
      std::string key = meta.namespace_.empty() ? meta.name : meta.namespace_ + "/" + meta.name;
      events.push_back((label.empty() ? "" : label + " ") + TypeName(event.type) + " " + key +
                       " rv=" + meta.resource_version);
    });
  }

  static std::string TypeName(EventType type) {
    switch (type) {
      case EventType::kAdded:
        return "ADDED";
      case EventType::kModified:
        return "MODIFIED";
      case EventType::kDeleted:
        return "DELETED";
    }
    return "?";
  }

  std::vector<std::string> events;
};

inline std::string ErrorOf(const ApiError& error) {
  return std::string(ToString(error.code)) + ": " + error.message;
}

template <class T>
std::string Outcome(const ApiResult<T>& result) {
  return result.has_value() ? "ok" : ErrorOf(result.error());
}

}  // namespace karpenter::kube::testing
