#include "sim/binder.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "disruption/pod_rules.h"
#include "kube/memory_cluster.h"
#include "scheduling/well_known.h"
#include "sim/internal/preemption.h"

namespace karpenter::sim {
namespace {

using kube::ObjectPtr;
using NodeIndex = std::map<std::string, size_t, std::less<>>;

constexpr std::string_view kDisruptedTaintKey = "karpenter.sh/disrupted";
constexpr std::string_view kNamespaceNameLabel = "kubernetes.io/metadata.name";

using disruption::IsTerminal;

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

// The accepting nodes (by name) with the pods bound to them, and the namespaces' labels.
scheduling::SchedulingInput BuildInput(kube::ClusterPort& cluster,
                                       const std::vector<ObjectPtr<api::Pod>>& pods,
                                       NodeIndex& index) {
  scheduling::SchedulingInput input;
  for (const ObjectPtr<api::Node>& node : cluster.Nodes().List()) {
    if (!AcceptsPods(*node)) continue;
    index.emplace(node->metadata.name, input.existing_nodes.size());
    input.existing_nodes.push_back(ToExisting(*node));
  }
  for (const ObjectPtr<api::Pod>& pod : pods) {
    // Looked up before inserting: 30,000 pods share a handful of namespaces.
    if (!input.namespace_labels.contains(pod->metadata.namespace_)) {
      input.namespace_labels[pod->metadata.namespace_].emplace(std::string(kNamespaceNameLabel),
                                                               pod->metadata.namespace_);
    }
    if (pod->spec.node_name.empty() || IsTerminal(*pod)) continue;
    auto node = index.find(pod->spec.node_name);
    if (node != index.end()) input.existing_nodes[node->second].pods.push_back(pod.get());
  }
  for (const ObjectPtr<api::Namespace>& ns : cluster.Namespaces().List()) {
    core::Labels& labels = input.namespace_labels[ns->metadata.name];
    for (const auto& [key, value] : ns->metadata.labels) labels[key] = value;
    labels[std::string(kNamespaceNameLabel)] = ns->metadata.name;
  }
  return input;
}

// Schedules `group` on `input`'s nodes, each also holding the pods nominated to it, and binds
// what fits (the bound pods join their node in `input`). Returns how many were bound; the
// rest are appended to `unschedulable`.
size_t Pass(kube::ClusterPort& cluster, const std::vector<const api::Pod*>& group,
            scheduling::SchedulingInput& input, const NodeIndex& index,
            const std::vector<std::vector<const api::Pod*>>& nominated,
            std::vector<scheduling::UnschedulablePod>& unschedulable) {
  std::vector<size_t> sizes;
  for (size_t i = 0; i < input.existing_nodes.size(); ++i) {
    std::vector<const api::Pod*>& pods = input.existing_nodes[i].pods;
    sizes.push_back(pods.size());
    pods.insert(pods.end(), nominated[i].begin(), nominated[i].end());
  }
  input.pending = group;
  scheduling::SchedulingResult result = scheduling::Schedule(input);
  input.pending.clear();
  for (size_t i = 0; i < input.existing_nodes.size(); ++i) {
    input.existing_nodes[i].pods.resize(sizes[i]);
  }
  size_t bound = 0;
  for (const scheduling::ExistingNodePlacement& placement : result.existing_node_placements) {
    const size_t node = index.find(placement.node_name)->second;
    for (const api::Pod* pod : placement.pods) {
      if (!cluster.Bind({pod->metadata.namespace_, pod->metadata.name}, placement.node_name)) {
        continue;
      }
      ++bound;
      input.existing_nodes[node].pods.push_back(pod);
    }
  }
  for (scheduling::UnschedulablePod& pod : result.unschedulable) {
    unschedulable.push_back(std::move(pod));
  }
  return bound;
}

// Sets PodScheduled=False/Unschedulable with `reason` as the message and status.
// nominatedNodeName to `nominated`, unless both are so already.
void MarkUnschedulable(kube::ClusterPort& cluster, const api::Pod& pod, const std::string& reason,
                       const std::string& nominated, int64_t now) {
  bool marked = false;
  for (const api::PodCondition& condition : pod.status.conditions) {
    marked = marked || (condition.type == "PodScheduled" && condition.status == "False" &&
                        condition.reason == "Unschedulable" && condition.message == reason);
  }
  if (marked && pod.status.nominated_node_name == nominated) return;
  (void)cluster.Pods().Patch({pod.metadata.namespace_, pod.metadata.name}, [&](api::Pod& stored) {
    stored.status.nominated_node_name = nominated;
    if (marked) return;
    std::erase_if(stored.status.conditions, [](const api::PodCondition& condition) {
      return condition.type == "PodScheduled";
    });
    stored.status.conditions.push_back({"PodScheduled", "False", "Unschedulable", reason, now});
  });
}

// As kube-scheduler: the victim is told why, then deleted with its grace period.
void DeleteVictim(kube::ClusterPort& cluster, const api::Pod& victim, int64_t now) {
  const kube::ObjectKey key{victim.metadata.namespace_, victim.metadata.name};
  (void)cluster.Pods().Patch(key, [now](api::Pod& stored) {
    std::erase_if(stored.status.conditions, [](const api::PodCondition& condition) {
      return condition.type == "DisruptionTarget";
    });
    stored.status.conditions.push_back({"DisruptionTarget", "True", "PreemptionByScheduler",
                                        std::string(api::kDefaultSchedulerName) +
                                            ": preempting to accommodate a higher priority pod",
                                        now});
  });
  (void)cluster.Pods().Delete(key);
}

// How many disruptions a budget allows now: the status the disruption controller keeps; on
// the in-memory cluster, which runs none, what it would write.
std::function<int32_t(const api::PodDisruptionBudget&)> AllowedDisruptions(
    kube::ClusterPort& cluster) {
  if (auto* memory = dynamic_cast<kube::MemoryCluster*>(&cluster)) {
    return [memory](const api::PodDisruptionBudget& budget) {
      return memory->BudgetStatus(budget).disruptions_allowed;
    };
  }
  return [](const api::PodDisruptionBudget& budget) {
    return budget.status ? budget.status->disruptions_allowed : 0;
  };
}

}  // namespace

size_t Binder::Step() {
  const std::vector<ObjectPtr<api::Pod>> pods = cluster_.Pods().List();
  const internal::PriorityResolver priorities(cluster_.PriorityClasses().List());
  // Highest priority first; within a level, nominated pods before the others.
  std::map<int32_t, std::pair<std::vector<const api::Pod*>, std::vector<const api::Pod*>>,
           std::greater<>>
      levels;
  for (const ObjectPtr<api::Pod>& pod : pods) {
    if (!IsPending(*pod)) continue;
    auto& level = levels[priorities.PriorityOf(*pod)];
    (pod->status.nominated_node_name.empty() ? level.second : level.first).push_back(pod.get());
  }
  if (levels.empty()) return 0;

  NodeIndex index;
  scheduling::SchedulingInput input = BuildInput(cluster_, pods, index);
  node_requirements_.Fill(input.existing_nodes);
  std::vector<std::vector<const api::Pod*>> nominated(input.existing_nodes.size());
  std::vector<scheduling::UnschedulablePod> unschedulable;
  size_t bound = 0;
  for (auto& entry : levels) {
    auto& level = entry.second;
    if (!level.first.empty()) {
      const size_t before = unschedulable.size();
      bound += Pass(cluster_, level.first, input, index, nominated, unschedulable);
      // Still pending: their room on the nominated node is kept from the pods after them.
      for (size_t i = before; i < unschedulable.size(); ++i) {
        const api::Pod* pod = unschedulable[i].pod;
        auto node = index.find(pod->status.nominated_node_name);
        if (node != index.end()) nominated[node->second].push_back(pod);
      }
    }
    if (!level.second.empty()) {
      bound += Pass(cluster_, level.second, input, index, nominated, unschedulable);
    }
  }
  Preempt(priorities, input, std::move(nominated), unschedulable);
  return bound;
}

void Binder::Preempt(const internal::PriorityResolver& priorities,
                     const scheduling::SchedulingInput& input,
                     std::vector<std::vector<const api::Pod*>> nominated,
                     const std::vector<scheduling::UnschedulablePod>& unschedulable) {
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  // A pod can only preempt pods of lower priority: when none is bound anywhere, no preemption
  // can succeed and the budgets need not be counted.
  int32_t lowest = std::numeric_limits<int32_t>::max();
  for (const scheduling::ExistingNode& node : input.existing_nodes) {
    for (const api::Pod* pod : node.pods) lowest = std::min(lowest, priorities.PriorityOf(*pod));
  }
  std::vector<const api::Pod*> order;
  std::map<const api::Pod*, std::string> nomination;
  for (const scheduling::UnschedulablePod& pod : unschedulable) {
    order.push_back(pod.pod);
    nomination[pod.pod] = pod.pod->status.nominated_node_name;
  }
  // kube-scheduler's queue order: higher priority first, then the older pod.
  std::sort(order.begin(), order.end(), [&](const api::Pod* a, const api::Pod* b) {
    const int32_t pa = priorities.PriorityOf(*a), pb = priorities.PriorityOf(*b);
    if (pa != pb) return pa > pb;
    const int64_t ca = a->metadata.creation_timestamp.value_or(0);
    const int64_t cb = b->metadata.creation_timestamp.value_or(0);
    if (ca != cb) return ca < cb;
    return std::tie(a->metadata.namespace_, a->metadata.name) <
           std::tie(b->metadata.namespace_, b->metadata.name);
  });

  std::optional<internal::Preemptor> preemptor;
  for (const api::Pod* pod : order) {
    if (!priorities.MayPreempt(*pod)) continue;  // its nomination stays as it is
    if (priorities.PriorityOf(*pod) <= lowest) {
      nomination[pod] = "";  // nothing to preempt anywhere
      continue;
    }
    if (!preemptor) {
      preemptor.emplace(input, nominated, priorities,
                        internal::BudgetLedger(cluster_.PodDisruptionBudgets().List(),
                                               AllowedDisruptions(cluster_)));
    }
    const internal::PreemptionDecision decision = preemptor->Decide(*pod);
    using Verdict = internal::PreemptionDecision::Verdict;
    if (decision.verdict == Verdict::kNone) nomination[pod] = "";
    if (decision.verdict != Verdict::kNominate) continue;
    for (const api::Pod* victim : decision.victims) DeleteVictim(cluster_, *victim, now);
    preempted_pods_ += decision.victims.size();
    ++preemptions_;
    for (const api::Pod* other : preemptor->Commit(*pod, decision)) nomination[other] = "";
    nomination[pod] = decision.node;
  }
  for (const scheduling::UnschedulablePod& pod : unschedulable) {
    MarkUnschedulable(cluster_, *pod.pod, pod.reason, nomination[pod.pod], now);
  }
}

}  // namespace karpenter::sim
