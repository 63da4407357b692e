// WorkloadController: a stand-in for kube-controller-manager's Deployment and ReplicaSet
// controllers, so that pods Karpenter evicts come back pending, as in a real cluster.
//
// Step():
//  - each Deployment owns one ReplicaSet named "<deployment>-sim" (created when missing, with
//    the Deployment as controller owner), whose replicas, selector and pod template follow the
//    Deployment's; rollouts (several ReplicaSets, surge, pod-template-hash) are not modelled;
//  - each ReplicaSet keeps spec.replicas active pods (not terminating, not terminal) it
//    controls (owner reference with its uid and controller=true): missing pods are created
//    from the template, named "<replicaset>-<n>" with the smallest free n, in the ReplicaSet's
//    namespace, with the ReplicaSet as controller owner; extra pods are deleted unbound ones
//    first, then the newest (creationTimestamp, then name) first, roughly as upstream ranks
//    pods to delete.
// Pods are matched to their ReplicaSet by the owner reference only (no adoption of orphans by
// selector). StatefulSets, DaemonSets and Jobs are not handled.
// A pod the API server refuses (an unknown PriorityClass, say) is retried at every step; the
// first refusal of a ReplicaSet (again after one of its pods was created) is kept in
// failures(), as kube-controller-manager records a FailedCreate event.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "kube/cluster.h"

namespace karpenter::sim {

class WorkloadController {
 public:
  // `cluster` must outlive the controller.
  explicit WorkloadController(kube::ClusterPort& cluster) : cluster_(cluster) {}

  // Brings ReplicaSets and pods to what their owners ask for now. Returns how many objects it
  // created or deleted (0 when everything already matches, so a driver knows it is settled).
  size_t Step();

  // The name of the ReplicaSet the stand-in keeps for `deployment`.
  static std::string ReplicaSetName(const std::string& deployment) { return deployment + "-sim"; }

  // A pod create the API server refused: "ReplicaSet/<ns>/<name>" and its message.
  struct CreateFailure {
    std::string replica_set;
    std::string message;
  };
  // The refusals so far, in order: one per ReplicaSet until one of its pods is created.
  const std::vector<CreateFailure>& failures() const { return failures_; }

 private:
  size_t SyncDeployments();
  size_t SyncReplicaSets();

  kube::ClusterPort& cluster_;
  std::vector<CreateFailure> failures_;
  std::set<std::string, std::less<>> failing_;  // ReplicaSets whose last create was refused
};

}  // namespace karpenter::sim
