#include "sim/workload_controller.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "disruption/pod_rules.h"

namespace karpenter::sim {
namespace {

using kube::ObjectPtr;

api::OwnerReference ControllerRef(std::string kind, const api::ObjectMeta& owner) {
  api::OwnerReference reference;
  reference.api_version = "apps/v1";
  reference.kind = std::move(kind);
  reference.name = owner.name;
  reference.uid = owner.uid;
  reference.controller = true;
  reference.block_owner_deletion = true;
  return reference;
}

// The uid of the pod's controller, or "".
std::string ControllerUid(const api::ObjectMeta& meta) {
  for (const api::OwnerReference& owner : meta.owner_references) {
    if (owner.controller) return owner.uid;
  }
  return "";
}

using disruption::IsActive;

// Deleted first: unbound pods, then the newest.
bool DeleteBefore(const ObjectPtr<api::Pod>& a, const ObjectPtr<api::Pod>& b) {
  const bool a_bound = !a->spec.node_name.empty();
  const bool b_bound = !b->spec.node_name.empty();
  if (a_bound != b_bound) return !a_bound;
  const int64_t a_created = a->metadata.creation_timestamp.value_or(0);
  const int64_t b_created = b->metadata.creation_timestamp.value_or(0);
  if (a_created != b_created) return a_created > b_created;
  return a->metadata.name > b->metadata.name;
}

api::Pod PodFor(const api::ReplicaSet& replica_set, const std::string& name) {
  api::Pod pod;
  pod.metadata.namespace_ = replica_set.metadata.namespace_;
  pod.metadata.name = name;
  pod.metadata.labels = replica_set.pod_template.metadata.labels;
  pod.metadata.annotations = replica_set.pod_template.metadata.annotations;
  pod.metadata.owner_references.push_back(ControllerRef("ReplicaSet", replica_set.metadata));
  pod.spec = replica_set.pod_template.spec;
  pod.spec.node_name.clear();
  return pod;
}

}  // namespace

size_t WorkloadController::Step() { return SyncDeployments() + SyncReplicaSets(); }

size_t WorkloadController::SyncDeployments() {
  size_t changes = 0;
  for (const ObjectPtr<api::Deployment>& deployment : cluster_.Deployments().List()) {
    if (deployment->metadata.deletion_timestamp) continue;
    const kube::ObjectKey key{deployment->metadata.namespace_,
                              ReplicaSetName(deployment->metadata.name)};
    auto sync = [&deployment](api::ReplicaSet& replica_set) {
      replica_set.replicas = deployment->replicas;
      replica_set.selector = deployment->selector;
      replica_set.pod_template = deployment->pod_template;
    };
    auto existing = cluster_.ReplicaSets().Get(key);
    if (!existing) {
      api::ReplicaSet replica_set;
      replica_set.metadata.namespace_ = key.namespace_;
      replica_set.metadata.name = key.name;
      replica_set.metadata.labels = deployment->pod_template.metadata.labels;
      replica_set.metadata.owner_references.push_back(
          ControllerRef("Deployment", deployment->metadata));
      sync(replica_set);
      if (cluster_.ReplicaSets().Create(std::move(replica_set))) ++changes;
      continue;
    }
    const api::ReplicaSet& current = **existing;
    if (current.replicas == deployment->replicas && current.selector == deployment->selector &&
        current.pod_template == deployment->pod_template) {
      continue;
    }
    if (cluster_.ReplicaSets().Patch(key, sync)) ++changes;
  }
  return changes;
}

size_t WorkloadController::SyncReplicaSets() {
  // Active pods by controller uid. Names in use are looked up in the cluster when a pod is
  // named (a set of all 30,000 names per step was most of this step's time).
  std::map<std::string, std::vector<ObjectPtr<api::Pod>>> active;
  cluster_.Pods().ForEach([&](const ObjectPtr<api::Pod>& pod) {
    const std::string uid = ControllerUid(pod->metadata);
    if (!uid.empty() && IsActive(*pod)) active[uid].push_back(pod);
  });
  size_t changes = 0;
  for (const ObjectPtr<api::ReplicaSet>& replica_set : cluster_.ReplicaSets().List()) {
    if (replica_set->metadata.deletion_timestamp) continue;
    std::vector<ObjectPtr<api::Pod>>& pods = active[replica_set->metadata.uid];
    const size_t want = static_cast<size_t>(std::max(replica_set->replicas, 0));
    int index = 0;
    for (size_t have = pods.size(); have < want; ++have) {
      std::string name;
      do {
        name = replica_set->metadata.name + "-" + std::to_string(index++);
      } while (cluster_.Pods().Get({replica_set->metadata.namespace_, name}).has_value());
      auto created = cluster_.Pods().Create(PodFor(*replica_set, name));
      const std::string owner =
          "ReplicaSet/" + replica_set->metadata.namespace_ + "/" + replica_set->metadata.name;
      if (created) {
        ++changes;
        failing_.erase(owner);
      } else if (failing_.insert(owner).second) {
        failures_.push_back({owner, created.error().message});
      }
    }
    if (pods.size() <= want) continue;
    std::ranges::sort(pods, DeleteBefore);
    for (size_t i = 0; i < pods.size() - want; ++i) {
      const kube::ObjectKey key{pods[i]->metadata.namespace_, pods[i]->metadata.name};
      if (cluster_.Pods().Delete(key)) ++changes;
    }
  }
  return changes;
}

}  // namespace karpenter::sim
