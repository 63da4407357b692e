// The pods workload controllers would create: a Deployment's (through its ReplicaSet), a
// ReplicaSet's and a StatefulSet's replicas, named and labelled as upstream's controllers name
// and label them, with deterministic suffixes so a simulation is repeatable.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "api/model/pod.h"
#include "api/model/workloads.h"
#include "sim/names.h"

namespace karpenter::sim {

// Pod names already used, per namespace, and fresh ones drawn deterministically.
class PodNamer {
 public:
  // Every name in `existing` is taken.
  explicit PodNamer(const std::vector<api::Pod>& existing);

  bool IsTaken(const std::string& ns, const std::string& name) const;
  void Reserve(const std::string& ns, const std::string& name);
  // `prefix` + 5 characters of kNameAlphabet, unused in `ns`.
  std::string Generate(const std::string& ns, const std::string& prefix);

 private:
  std::map<std::string, NameGenerator> by_namespace_;
};

// A stable UID for the object `ns`/`name` of `kind`, in the 8-4-4-4-12 hex shape of a UUID.
std::string StableUid(std::string_view kind, std::string_view ns, std::string_view name);

// The pods of `deployment` that `existing` lacks: its ReplicaSet is "<name>-<pod-template-hash>"
// and each pod "<replicaset>-<5 characters>", labelled with pod-template-hash and owned by the
// ReplicaSet. Pods of `existing` in the namespace that the selector matches count as replicas
// already there (a ReplicaSet adopts them), so only the difference is created.
std::vector<api::Pod> DeploymentPods(const api::Deployment& deployment,
                                     const std::vector<api::Pod>& existing, PodNamer& names);

// The same for a ReplicaSet: pods "<name>-<5 characters>" owned by it.
std::vector<api::Pod> ReplicaSetPods(const api::ReplicaSet& replica_set,
                                     const std::vector<api::Pod>& existing, PodNamer& names);

// A StatefulSet's pods "<name>-0" ... "<name>-<replicas-1>" (each ordinal whose pod `names`
// does not already know: a pod of the input with that name is the replica), labelled with controller-revision-hash,
// statefulset.kubernetes.io/pod-name and apps.kubernetes.io/pod-index, with a volume per
// volumeClaimTemplate claiming "<template>-<pod name>".
std::vector<api::Pod> StatefulSetPods(const api::StatefulSet& stateful_set, PodNamer& names);

}  // namespace karpenter::sim
