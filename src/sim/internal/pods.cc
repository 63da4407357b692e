// Pods: the input's and the workloads' replicas, bound to their nodes or pending by round.
#include <charconv>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "disruption/pod_rules.h"
#include "scheduling/volume_topology.h"
#include "sim/internal/snapshot_parts.h"
#include "sim/workload_pods.h"

namespace karpenter::sim::internal {
namespace {

constexpr std::string_view kNamespaceNameLabel = "kubernetes.io/metadata.name";

using disruption::IsTerminal;

bool OwnedBy(const api::ObjectMeta& metadata, std::string_view kind) {
  for (const api::OwnerReference& owner : metadata.owner_references) {
    if (owner.kind == kind) return true;
  }
  return false;
}

std::string Describe(const api::Pod& pod) {
  return "Pod/" + pod.metadata.namespace_ + "/" + pod.metadata.name;
}

// A ReplicaSet a Deployment of the input controls: the Deployment's expansion covers it.
bool ControlledByInputDeployment(const Objects& objects, const api::ReplicaSet& replica_set) {
  for (const api::OwnerReference& owner : replica_set.metadata.owner_references) {
    if (owner.kind != "Deployment" || !owner.controller) continue;
    for (const api::Deployment& deployment : objects.deployments) {
      if (deployment.metadata.name == owner.name &&
          deployment.metadata.namespace_ == replica_set.metadata.namespace_) {
        return true;
      }
    }
  }
  return false;
}

// The input's pods (generated names and UIDs filled in), then every workload's missing replicas.
void CollectPods(Snapshot& snapshot) {
  const Objects& objects = snapshot.objects;
  PodNamer names(objects.pods);
  for (const api::Pod& input : objects.pods) {
    api::Pod& pod = snapshot.pods.emplace_back(input);
    if (pod.metadata.name.empty()) {
      pod.metadata.name = names.Generate(pod.metadata.namespace_, pod.metadata.generate_name);
    }
    if (pod.metadata.uid.empty()) {
      pod.metadata.uid = StableUid("Pod", pod.metadata.namespace_, pod.metadata.name);
    }
  }
  auto add = [&](std::vector<api::Pod> pods) {
    for (api::Pod& pod : pods) snapshot.pods.push_back(std::move(pod));
  };
  for (const api::Deployment& deployment : objects.deployments) {
    add(DeploymentPods(deployment, objects.pods, names));
  }
  for (const api::ReplicaSet& replica_set : objects.replica_sets) {
    if (ControlledByInputDeployment(objects, replica_set)) continue;
    add(ReplicaSetPods(replica_set, objects.pods, names));
  }
  for (const api::StatefulSet& stateful_set : objects.stateful_sets) {
    add(StatefulSetPods(stateful_set, names));
  }
}

// The pod's round: its annotation when it is a positive integer, else kDefaultRound.
int RoundOf(const api::Pod& pod, std::vector<api::Diagnostic>& diagnostics) {
  auto it = pod.metadata.annotations.find(std::string(kRoundAnnotation));
  if (it == pod.metadata.annotations.end()) return kDefaultRound;
  const std::string& text = it->second;
  int round = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), round);
  if (error == std::errc() && end == text.data() + text.size() && round >= 1) return round;
  diagnostics.push_back(
      ObjectDiagnostic(api::Severity::kWarning, Describe(pod),
                       "metadata.annotations[" + std::string(kRoundAnnotation) + "]: \"" + text +
                           "\" is not a positive integer; the pod is provisioned in round " +
                           std::to_string(kDefaultRound)));
  return kDefaultRound;
}

// A StatefulSet replica expanded from its manifest has no claims yet: the StatefulSet
// controller creates each volumeClaimTemplate's claim ("<template>-<pod>") together with the
// pod, unbound. A fresh claim constrains no zone until it binds (WaitForFirstConsumer binds
// where the pod goes), so the simulation leaves such volumes out instead of refusing the pod
// the way upstream refuses a pod whose claim is missing. Claims given in the input count.
api::Pod WithoutUncreatedStatefulSetClaims(const api::Pod& pod,
                                           const scheduling::VolumeLookup& volumes) {
  if (!OwnedBy(pod.metadata, "StatefulSet")) return pod;
  api::Pod copy = pod;
  std::erase_if(copy.spec.volumes, [&](const api::Volume& volume) {
    return volume.claim_name && !volume.ephemeral &&
           *volume.claim_name == volume.name + "-" + pod.metadata.name &&
           volumes.FindClaim(pod.metadata.namespace_, *volume.claim_name) == nullptr;
  });
  return copy;
}

}  // namespace

void BuildPods(Snapshot& snapshot) {
  CollectPods(snapshot);
  std::map<std::string, std::size_t, std::less<>> node_index;
  for (std::size_t i = 0; i < snapshot.existing_nodes.size(); ++i) {
    node_index.emplace(snapshot.existing_nodes[i].name, i);
  }
  for (const api::Namespace& ns : snapshot.objects.namespaces) {
    core::Labels labels = ns.metadata.labels;
    labels[std::string(kNamespaceNameLabel)] = ns.metadata.name;
    snapshot.namespace_labels[ns.metadata.name] = std::move(labels);
  }
  const Objects& objects = snapshot.objects;
  const scheduling::VolumeLookup volumes(objects.persistent_volume_claims,
                                         objects.persistent_volumes, objects.storage_classes);
  for (api::Pod& pod : snapshot.pods) {
    const std::string& ns = pod.metadata.namespace_;
    if (!snapshot.namespace_labels.contains(ns)) {
      snapshot.namespace_labels[ns] = {{std::string(kNamespaceNameLabel), ns}};
    }
    if (IsTerminal(pod)) continue;  // a finished pod holds no resources
    if (!pod.spec.node_name.empty()) {
      auto it = node_index.find(pod.spec.node_name);
      if (it == node_index.end()) {
        snapshot.diagnostics.push_back(
            ObjectDiagnostic(api::Severity::kWarning, Describe(pod),
                             "bound to node \"" + pod.spec.node_name +
                                 "\", which is not in the input: it takes no simulated capacity"));
        continue;
      }
      snapshot.existing_nodes[it->second].pods.push_back(&pod);
      continue;
    }
    // As upstream, Karpenter does not provision for DaemonSet pods (their overhead is counted
    // per node), static pods, or pods already being deleted.
    if (pod.metadata.deletion_timestamp || OwnedBy(pod.metadata, "DaemonSet") ||
        OwnedBy(pod.metadata, "Node")) {
      continue;
    }
    const int round = RoundOf(pod, snapshot.diagnostics);
    // As upstream, the pod is scheduled with its volumes' topology, or not at all.
    Result<api::Pod> scheduled =
        scheduling::ApplyVolumeTopology(WithoutUncreatedStatefulSetClaims(pod, volumes), volumes);
    if (!scheduled) {
      snapshot.rejected.push_back({&pod, round, scheduled.error().message});
      continue;
    }
    scheduled->spec.volumes = std::move(pod.spec.volumes);  // the pod keeps every volume
    pod = std::move(*scheduled);
    snapshot.rounds[round].push_back(&pod);
  }
  for (const api::DaemonSet& daemon_set : snapshot.objects.daemon_sets) {
    snapshot.daemon_sets.push_back(&daemon_set);
  }
}

}  // namespace karpenter::sim::internal
