#include "sim/replay_steps.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>
#include <utility>

namespace karpenter::sim {
namespace {

std::string Name(std::string_view kind, const api::ObjectMeta& meta) {
  return meta.namespace_.empty() ? fmt::format("{}/{}", kind, meta.name)
                                 : fmt::format("{}/{}/{}", kind, meta.namespace_, meta.name);
}

// Create, or replace the stored object's metadata and spec (what kubectl apply amounts to
// here): the stored uid, creation time and resourceVersion are kept so the update is accepted.
template <class T>
void Upsert(kube::Resource<T>& resource, std::string_view kind, T object, StepOutcome& outcome) {
  const std::string name = Name(kind, object.metadata);
  auto existing = resource.Get({object.metadata.namespace_, object.metadata.name});
  if (!existing) {
    if (auto created = resource.Create(std::move(object)); !created) {
      outcome.errors.push_back(name + ": " + created.error().message);
    }
    return;
  }
  object.metadata.uid = (*existing)->metadata.uid;
  object.metadata.resource_version = (*existing)->metadata.resource_version;
  object.metadata.creation_timestamp = (*existing)->metadata.creation_timestamp;
  object.metadata.deletion_timestamp = (*existing)->metadata.deletion_timestamp;
  if (auto updated = resource.Update(std::move(object)); !updated) {
    outcome.errors.push_back(name + ": " + updated.error().message);
  }
}

template <class T>
void UpsertAll(kube::Resource<T>& resource, std::string_view kind, const std::vector<T>& objects,
               StepOutcome& outcome) {
  for (const T& object : objects) Upsert(resource, kind, object, outcome);
}

template <class T>
void NotStored(std::string_view kind, const std::vector<T>& objects, StepOutcome& outcome) {
  for (const T& object : objects) {
    outcome.errors.push_back(Name(kind, object.metadata) +
                             ": not stored: the virtual cluster has no " + std::string(kind) +
                             " objects");
  }
}

kube::ApiResult<void> DeleteObject(kube::ClusterPort& cluster, const ObjectRef& target) {
  const kube::ObjectKey key{target.namespace_, target.name};
  if (target.kind == "Pod") return cluster.Pods().Delete(key);
  if (target.kind == "Deployment") return cluster.Deployments().Delete(key);
  if (target.kind == "ReplicaSet") return cluster.ReplicaSets().Delete(key);
  if (target.kind == "StatefulSet") return cluster.StatefulSets().Delete(key);
  if (target.kind == "DaemonSet") return cluster.DaemonSets().Delete(key);
  if (target.kind == "PodDisruptionBudget") return cluster.PodDisruptionBudgets().Delete(key);
  if (target.kind == "Node") return cluster.Nodes().Delete(key);
  if (target.kind == "NodeClaim") return cluster.NodeClaims().Delete(key);
  if (target.kind == "NodePool") return cluster.NodePools().Delete(key);
  if (target.kind == "EC2NodeClass") return cluster.NodeClasses().Delete(key);
  if (target.kind == "Namespace") return cluster.Namespaces().Delete(key);
  if (target.kind == "PriorityClass") return cluster.PriorityClasses().Delete(key);
  return kube::ApiFail(kube::ApiErrorCode::kInvalid, "cannot delete kind " + target.kind);
}

std::string Describe(const ObjectRef& target) {
  return target.namespace_.empty() ? target.kind + "/" + target.name
                                   : target.kind + "/" + target.namespace_ + "/" + target.name;
}

StepOutcome Scale(kube::ClusterPort& cluster, const ScaleAction& scale) {
  StepOutcome outcome;
  const kube::ObjectKey key{scale.target.namespace_, scale.target.name};
  auto set = [&](auto& object) { object.replicas = scale.replicas; };
  const bool ok = scale.target.kind == "Deployment"
                      ? cluster.Deployments().Patch(key, set).has_value()
                      : cluster.ReplicaSets().Patch(key, set).has_value();
  if (!ok) outcome.errors.push_back(Describe(scale.target) + " not found");
  return outcome;
}

// The `count` oldest live spot instances (by launch time, then id).
std::vector<cloud::Instance> OldestSpot(const cloud::SimulatedCloud& cloud, int count) {
  std::vector<cloud::Instance> spot;
  for (cloud::Instance& instance : cloud.List()) {
    if (instance.capacity_type != catalog::CapacityType::kSpot) continue;
    if (instance.state != cloud::InstanceState::kPending &&
        instance.state != cloud::InstanceState::kRunning) {
      continue;
    }
    spot.push_back(std::move(instance));
  }
  std::ranges::sort(spot, [](const cloud::Instance& a, const cloud::Instance& b) {
    return std::tie(a.launch_time, a.provider_id) < std::tie(b.launch_time, b.provider_id);
  });
  if (spot.size() > static_cast<size_t>(count)) spot.resize(static_cast<size_t>(count));
  return spot;
}

StepOutcome Interrupt(Driver& driver, const InterruptFault& fault) {
  StepOutcome outcome;
  std::vector<std::string> provider_ids;
  if (!fault.node.empty()) {
    auto node = driver.cluster().Nodes().Get({"", fault.node});
    if (!node) {
      outcome.errors.push_back("Node/" + fault.node + " not found");
      return outcome;
    }
    provider_ids.push_back((*node)->spec.provider_id);
  } else {
    for (const cloud::Instance& instance : OldestSpot(driver.cloud(), fault.nodes)) {
      provider_ids.push_back(instance.provider_id);
    }
    if (provider_ids.size() < static_cast<size_t>(fault.nodes)) {
      outcome.notes.push_back(
          fmt::format("only {} live spot instance(s) to interrupt", provider_ids.size()));
    }
  }
  for (const std::string& provider_id : provider_ids) {
    auto warning = driver.Interrupt(provider_id);
    if (!warning) {
      outcome.errors.push_back("interrupt " + provider_id + ": " + warning.error().message);
      continue;
    }
    ++outcome.interruptions;
    outcome.notes.push_back("interruption warning for " + provider_id + ": reclaimed in 2 minutes");
  }
  return outcome;
}

}  // namespace

StepOutcome ApplyObjects(kube::ClusterPort& cluster, const Objects& objects) {
  StepOutcome outcome;
  // Namespaces and classes first, then what refers to them, workloads and pods last.
  UpsertAll(cluster.Namespaces(), "Namespace", objects.namespaces, outcome);
  // Before any pod: the cluster resolves a pod's priority from its class when it is created.
  UpsertAll(cluster.PriorityClasses(), "PriorityClass", objects.priority_classes, outcome);
  UpsertAll(cluster.NodeClasses(), "EC2NodeClass", objects.node_classes, outcome);
  UpsertAll(cluster.NodePools(), "NodePool", objects.node_pools, outcome);
  UpsertAll(cluster.NodeClaims(), "NodeClaim", objects.node_claims, outcome);
  UpsertAll(cluster.Nodes(), "Node", objects.nodes, outcome);
  UpsertAll(cluster.PodDisruptionBudgets(), "PodDisruptionBudget", objects.pod_disruption_budgets,
            outcome);
  UpsertAll(cluster.DaemonSets(), "DaemonSet", objects.daemon_sets, outcome);
  UpsertAll(cluster.StatefulSets(), "StatefulSet", objects.stateful_sets, outcome);
  UpsertAll(cluster.ReplicaSets(), "ReplicaSet", objects.replica_sets, outcome);
  UpsertAll(cluster.Deployments(), "Deployment", objects.deployments, outcome);
  UpsertAll(cluster.Pods(), "Pod", objects.pods, outcome);
  NotStored("PersistentVolumeClaim", objects.persistent_volume_claims, outcome);
  NotStored("PersistentVolume", objects.persistent_volumes, outcome);
  NotStored("StorageClass", objects.storage_classes, outcome);
  return outcome;
}

StepOutcome ApplyStep(Driver& driver, const StepAction& action) {
  kube::MemoryCluster& cluster = driver.cluster();
  cloud::SimulatedCloud& cloud = driver.cloud();
  if (const auto* scale = std::get_if<ScaleAction>(&action)) return Scale(cluster, *scale);
  if (const auto* apply = std::get_if<ApplyAction>(&action)) {
    StepOutcome outcome = ApplyObjects(cluster, apply->objects);
    for (const api::InstanceType& type : apply->objects.instance_types) {
      outcome.errors.push_back("InstanceType/" + type.metadata.name +
                               ": the catalog is read at the start only");
    }
    return outcome;
  }
  StepOutcome outcome;
  if (const auto* remove = std::get_if<DeleteAction>(&action)) {
    for (const ObjectRef& target : remove->targets) {
      if (auto deleted = DeleteObject(cluster, target); !deleted) {
        outcome.errors.push_back(Describe(target) + ": " + deleted.error().message);
      }
    }
  } else if (const auto* ice = std::get_if<InsufficientCapacityFault>(&action)) {
    if (ice->clear) {
      cloud.ClearInsufficientCapacity(ice->instance_type, ice->zone, ice->capacity_type);
    } else {
      cloud.InjectInsufficientCapacity(ice->instance_type, ice->zone, ice->capacity_type);
    }
  } else if (const auto* failure = std::get_if<LaunchFailureFault>(&action)) {
    cloud.FailNextLaunches(failure->count, failure->message);
  } else if (const auto* never = std::get_if<NeverRegisterFault>(&action)) {
    if (never->node_claim.empty()) {
      cloud.NeverRegisterNextLaunches(never->count);
    } else {
      cloud.NeverRegister(never->node_claim);
    }
  } else if (const auto* slow = std::get_if<SlowRegistrationFault>(&action)) {
    cloud.SetRegistrationDelay(slow->delay);
  } else if (const auto* interrupt = std::get_if<InterruptFault>(&action)) {
    return Interrupt(driver, *interrupt);
  }
  return outcome;
}

double Measure(const std::string& name, const TimelineSample& sample) {
  if (name == "nodes") return sample.nodes;
  if (name == "readyNodes") return sample.ready_nodes;
  if (name == "nodeClaims") return sample.node_claims;
  if (name == "instances") return sample.instances;
  if (name == "pods") return sample.pods;
  if (name == "pendingPods") return sample.pending_pods;
  if (name == "runningPods") return sample.running_pods;
  if (name == "evictions") return static_cast<double>(sample.evictions);
  if (name == "costPerHour") return sample.cost_per_hour;
  if (name == "totalCost") return sample.cost_so_far;
  return 0;  // the parser accepts no other name
}

}  // namespace karpenter::sim
