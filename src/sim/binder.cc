#include "sim/binder.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "scheduling/scheduler.h"
#include "scheduling/well_known.h"

namespace karpenter::sim {
namespace {

using kube::ObjectPtr;

constexpr std::string_view kDisruptedTaintKey = "karpenter.sh/disrupted";
constexpr std::string_view kNamespaceNameLabel = "kubernetes.io/metadata.name";

bool IsTerminal(const api::Pod& pod) {
  return pod.status.phase == "Succeeded" || pod.status.phase == "Failed";
}

bool IsPending(const api::Pod& pod) {
  return pod.spec.node_name.empty() && !pod.metadata.deletion_timestamp && !IsTerminal(pod) &&
         pod.spec.scheduler_name == api::kDefaultSchedulerName;
}

bool AcceptsPods(const api::Node& node) {
  bool ready = false;
  for (const api::NodeCondition& condition : node.status.conditions) {
    if (condition.type == "Ready") ready = condition.status == "True";
  }
  if (!ready || node.spec.unschedulable || node.metadata.deletion_timestamp) return false;
  for (const core::Taint& taint : node.spec.taints) {
    if (scheduling::IsEphemeralTaint(taint)) return false;
    if (taint.key == kDisruptedTaintKey && taint.effect == core::TaintEffect::NoSchedule) {
      return false;
    }
  }
  return true;
}

scheduling::ExistingNode ToExisting(const api::Node& node) {
  scheduling::ExistingNode existing;
  existing.name = node.metadata.name;
  existing.labels = node.metadata.labels;
  existing.labels.try_emplace(std::string(scheduling::kLabelHostname), node.metadata.name);
  if (auto pool = existing.labels.find(std::string(scheduling::kLabelNodePool));
      pool != existing.labels.end()) {
    existing.node_pool = pool->second;
  }
  existing.taints = node.spec.taints;
  existing.capacity = node.status.capacity;
  existing.allocatable =
      node.status.allocatable.empty() ? node.status.capacity : node.status.allocatable;
  return existing;
}

// Sets PodScheduled=False/Unschedulable with `reason` as the message, unless already so.
void MarkUnschedulable(kube::ClusterPort& cluster, const api::Pod& pod, const std::string& reason,
                       int64_t now) {
  for (const api::PodCondition& condition : pod.status.conditions) {
    if (condition.type == "PodScheduled" && condition.status == "False" &&
        condition.reason == "Unschedulable" && condition.message == reason) {
      return;
    }
  }
  (void)cluster.Pods().Patch(
      {pod.metadata.namespace_, pod.metadata.name}, [&reason, now](api::Pod& stored) {
        std::erase_if(stored.status.conditions, [](const api::PodCondition& condition) {
          return condition.type == "PodScheduled";
        });
        stored.status.conditions.push_back({"PodScheduled", "False", "Unschedulable", reason, now});
      });
}

}  // namespace

size_t Binder::Step() {
  const std::vector<ObjectPtr<api::Pod>> pods = cluster_.Pods().List();
  scheduling::SchedulingInput input;
  for (const ObjectPtr<api::Pod>& pod : pods) {
    if (IsPending(*pod)) input.pending.push_back(pod.get());
  }
  if (input.pending.empty()) return 0;

  const std::vector<ObjectPtr<api::Node>> nodes = cluster_.Nodes().List();
  std::map<std::string, size_t, std::less<>> index;
  for (const ObjectPtr<api::Node>& node : nodes) {
    if (!AcceptsPods(*node)) continue;
    index.emplace(node->metadata.name, input.existing_nodes.size());
    input.existing_nodes.push_back(ToExisting(*node));
  }
  for (const ObjectPtr<api::Pod>& pod : pods) {
    input.namespace_labels[pod->metadata.namespace_].emplace(std::string(kNamespaceNameLabel),
                                                             pod->metadata.namespace_);
    if (pod->spec.node_name.empty() || IsTerminal(*pod)) continue;
    auto node = index.find(pod->spec.node_name);
    if (node != index.end()) input.existing_nodes[node->second].pods.push_back(pod.get());
  }
  for (const ObjectPtr<api::Namespace>& ns : cluster_.Namespaces().List()) {
    core::Labels& labels = input.namespace_labels[ns->metadata.name];
    for (const auto& [key, value] : ns->metadata.labels) labels[key] = value;
    labels[std::string(kNamespaceNameLabel)] = ns->metadata.name;
  }

  const scheduling::SchedulingResult result = scheduling::Schedule(input);
  size_t bound = 0;
  for (const scheduling::ExistingNodePlacement& placement : result.existing_node_placements) {
    for (const api::Pod* pod : placement.pods) {
      auto done =
          cluster_.Bind({pod->metadata.namespace_, pod->metadata.name}, placement.node_name);
      if (done) ++bound;
    }
  }
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  for (const scheduling::UnschedulablePod& pod : result.unschedulable) {
    MarkUnschedulable(cluster_, *pod.pod, pod.reason, now);
  }
  return bound;
}

}  // namespace karpenter::sim
