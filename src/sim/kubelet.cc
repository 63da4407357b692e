#include "sim/kubelet.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "disruption/pod_rules.h"

namespace karpenter::sim {
namespace {

using kube::ObjectPtr;

int64_t Seconds(core::Time time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

core::Time FromSeconds(int64_t seconds) { return core::Time{std::chrono::seconds(seconds)}; }

const api::NodeCondition* FindNodeCondition(const api::Node& node, std::string_view type) {
  for (const api::NodeCondition& condition : node.status.conditions) {
    if (condition.type == type) return &condition;
  }
  return nullptr;
}

bool IsNodeReady(const api::Node& node) {
  const api::NodeCondition* ready = FindNodeCondition(node, "Ready");
  return ready != nullptr && ready->status == "True";
}

// Sets the Ready condition, keeping its transition time when the status does not change.
void SetReady(api::Node& node, std::string status, std::string reason, core::Time now) {
  auto it =
      std::ranges::find(node.status.conditions, std::string("Ready"), &api::NodeCondition::type);
  if (it == node.status.conditions.end()) {
    node.status.conditions.push_back({"Ready", "", "", "", std::nullopt, std::nullopt});
    it = std::prev(node.status.conditions.end());
  }
  if (it->status != status) it->last_transition_time = Seconds(now);
  it->status = std::move(status);
  it->reason = std::move(reason);
  it->last_heartbeat_time = Seconds(now);
}

bool IsPodRunningReady(const api::Pod& pod) {
  if (pod.status.phase != "Running") return false;
  for (const api::PodCondition& condition : pod.status.conditions) {
    if (condition.type == "Ready") return condition.status == "True";
  }
  return false;
}

void SetPodCondition(api::Pod& pod, std::string_view type, int64_t now) {
  for (api::PodCondition& condition : pod.status.conditions) {
    if (condition.type != type) continue;
    if (condition.status != "True") condition.last_transition_time = now;
    condition.status = "True";
    condition.reason.clear();
    condition.message.clear();
    return;
  }
  pod.status.conditions.push_back({std::string(type), "True", "", "", now});
}

// When the instance's node is due to register, or nullopt when it never does.
std::optional<core::Time> RegistrationTime(const cloud::Instance& instance,
                                           std::optional<core::Duration> delay) {
  if (!delay) return std::nullopt;
  return instance.launch_time + std::max(*delay, cloud::SimulatedCloud::kBootTime);
}

bool IsLive(std::optional<cloud::InstanceState> state) {
  return state == cloud::InstanceState::kRunning || state == cloud::InstanceState::kPending;
}

api::Node NodeFor(const cloud::Instance& instance, const api::NodeClaim* claim) {
  api::Node node;
  node.metadata.name = Kubelet::NodeName(instance.provider_id);
  node.metadata.labels = instance.labels;
  if (claim != nullptr) {
    for (const auto& [key, value] : claim->metadata.labels) node.metadata.labels[key] = value;
    node.spec.taints = claim->spec.taints;
    node.spec.taints.insert(node.spec.taints.end(), claim->spec.startup_taints.begin(),
                            claim->spec.startup_taints.end());
  }
  node.metadata.labels["kubernetes.io/hostname"] = node.metadata.name;
  node.spec.taints.push_back(
      {std::string(kUnregisteredTaintKey), "", core::TaintEffect::NoExecute});
  node.spec.provider_id = instance.provider_id;
  node.status.capacity = instance.capacity;
  node.status.allocatable = instance.allocatable;
  if (auto arch = node.metadata.labels.find("kubernetes.io/arch");
      arch != node.metadata.labels.end()) {
    node.status.node_info.architecture = arch->second;
  }
  if (auto os = node.metadata.labels.find("kubernetes.io/os"); os != node.metadata.labels.end()) {
    node.status.node_info.operating_system = os->second;
  }
  return node;
}

}  // namespace

std::string Kubelet::NodeName(std::string_view provider_id) {
  const size_t slash = provider_id.rfind('/');
  const std::string_view id =
      slash == std::string_view::npos ? provider_id : provider_id.substr(slash + 1);
  return "node-" + std::string(id);
}

void Kubelet::Step() {
  const core::Time now = clock_.Now();
  RegisterNodes(now);
  UpdateNodeReadiness(now);
  RunPods();
}

void Kubelet::RegisterNodes(core::Time now) {
  std::set<std::string, std::less<>> node_provider_ids;
  for (const ObjectPtr<api::Node>& node : cluster_.Nodes().List()) {
    node_provider_ids.insert(node->spec.provider_id);
  }
  std::vector<const cloud::Instance*> due_now;
  cloud_.ForEachInstance([&](const cloud::Instance& instance) {
    if (instance.state != cloud::InstanceState::kRunning) return;
    if (registered_.contains(instance.provider_id)) return;
    if (node_provider_ids.contains(instance.provider_id)) return;
    const auto due = RegistrationTime(instance, cloud_.RegistrationDelay(instance.provider_id));
    if (due && *due <= now) due_now.push_back(&instance);
  });
  // Registered after the walk: creating Nodes does not touch the cloud, but keep the walk
  // free of side effects all the same.
  for (const cloud::Instance* instance : due_now) {
    auto claim = cluster_.NodeClaims().Get({"", instance->node_claim});
    api::Node node = NodeFor(*instance, claim ? claim->get() : nullptr);
    SetReady(node, "False", "KubeletNotReady", now);
    // Registered once, whatever the outcome: a name clash is not retried for ever.
    registered_.insert(instance->provider_id);
    (void)cluster_.Nodes().Create(std::move(node));
  }
}

void Kubelet::UpdateNodeReadiness(core::Time now) {
  for (const ObjectPtr<api::Node>& node : cluster_.Nodes().List()) {
    if (!registered_.contains(node->spec.provider_id)) continue;
    const api::NodeCondition* ready = FindNodeCondition(*node, "Ready");
    const std::string status = ready ? ready->status : "";
    const kube::ObjectKey key{"", node->metadata.name};
    if (!IsLive(cloud_.StateOf(node->spec.provider_id))) {
      if (status == "Unknown") continue;
      (void)cluster_.Nodes().Patch(
          key, [now](api::Node& stored) { SetReady(stored, "Unknown", "NodeStatusUnknown", now); });
      continue;
    }
    if (status == "True" || status == "Unknown") continue;
    const int64_t created = node->metadata.creation_timestamp.value_or(Seconds(now));
    if (now < FromSeconds(created) + kReadyDelay) continue;
    (void)cluster_.Nodes().Patch(
        key, [now](api::Node& stored) { SetReady(stored, "True", "KubeletReady", now); });
  }
}

void Kubelet::RunPods() {
  std::map<std::string, bool, std::less<>> node_ready;
  for (const ObjectPtr<api::Node>& node : cluster_.Nodes().List()) {
    node_ready.emplace(node->metadata.name, IsNodeReady(*node));
  }
  const int64_t now = Seconds(clock_.Now());
  cluster_.Pods().ForEach([&](const ObjectPtr<api::Pod>& pod) {
    if (pod->spec.node_name.empty()) return;
    const kube::ObjectKey key{pod->metadata.namespace_, pod->metadata.name};
    auto node = node_ready.find(pod->spec.node_name);
    if (node == node_ready.end()) {
      if (!pod->metadata.deletion_timestamp) (void)cluster_.Pods().Delete(key);
      return;
    }
    if (!node->second || !disruption::IsActive(*pod) || IsPodRunningReady(*pod)) return;
    (void)cluster_.Pods().Patch(key, [now](api::Pod& stored) {
      stored.status.phase = "Running";
      if (!stored.status.start_time) stored.status.start_time = now;
      SetPodCondition(stored, "Initialized", now);
      SetPodCondition(stored, "ContainersReady", now);
      SetPodCondition(stored, "Ready", now);
    });
  });
}

std::optional<core::Time> Kubelet::NextEvent() const {
  const core::Time now = clock_.Now();
  std::optional<core::Time> next;
  auto consider = [&next, now](core::Time time) {
    time = std::max(time, now);
    if (!next || time < *next) next = time;
  };
  std::map<std::string, bool, std::less<>> node_ready;
  std::set<std::string, std::less<>> node_provider_ids;
  for (const ObjectPtr<api::Node>& node : cluster_.Nodes().List()) {
    node_ready.emplace(node->metadata.name, IsNodeReady(*node));
    node_provider_ids.insert(node->spec.provider_id);
    const api::NodeCondition* ready = FindNodeCondition(*node, "Ready");
    const bool pending_ready = ready == nullptr || ready->status == "False";
    if (registered_.contains(node->spec.provider_id) && pending_ready &&
        IsLive(cloud_.StateOf(node->spec.provider_id))) {
      consider(FromSeconds(node->metadata.creation_timestamp.value_or(Seconds(now))) + kReadyDelay);
    }
  }
  cloud_.ForEachInstance([&](const cloud::Instance& instance) {
    if (instance.state != cloud::InstanceState::kRunning &&
        instance.state != cloud::InstanceState::kPending) {
      return;
    }
    if (registered_.contains(instance.provider_id) ||
        node_provider_ids.contains(instance.provider_id)) {
      return;
    }
    if (auto due = RegistrationTime(instance, cloud_.RegistrationDelay(instance.provider_id))) {
      consider(*due);
    }
  });
  cluster_.Pods().ForEach([&](const ObjectPtr<api::Pod>& pod) {
    if (pod->spec.node_name.empty()) return;
    auto node = node_ready.find(pod->spec.node_name);
    if (node == node_ready.end()) {
      if (!pod->metadata.deletion_timestamp) consider(now);
      return;
    }
    if (node->second && disruption::IsActive(*pod) && !IsPodRunningReady(*pod)) {
      consider(now);
    }
  });
  return next;
}

}  // namespace karpenter::sim
