// Kubelet: a stand-in for the kubelets of the simulated cloud's instances (and, for pod
// status and orphans, for the node lifecycle and pod garbage collectors of
// kube-controller-manager), driven by the virtual clock. It is what makes instances become
// Nodes and bound pods become Running in a simulation or a controllers test.
//
// What Step() does, each time at the clock's now:
//  - Registration: an instance that is running, whose registration delay
//    (SimulatedCloud::RegistrationDelay) has passed since launch, and that has no Node, gets
//    one, once per instance: named "node-<instance id>" (the provider id's last segment;
//    EC2's private DNS names are not modelled), spec.providerID, labels = the instance's
//    labels, then its NodeClaim's labels (as the bootstrap passes them with --node-labels),
//    plus kubernetes.io/hostname; taints = the NodeClaim's taints and startup taints (as
//    --register-with-taints) plus karpenter.sh/unregistered:NoExecute (which Karpenter's
//    registration removes); capacity and allocatable of the instance; Ready=False.
//    An instance whose delay is nullopt never registers.
//  - Readiness: a Node this kubelet registered turns Ready=True kReadyDelay after its
//    creation, while its instance runs. When the instance is shutting down or gone, the Node
//    turns Ready=Unknown (upstream the node lifecycle controller does that after 40s
//    without heartbeats; here at once). Nodes it did not register are left alone.
//  - Pods: a pod bound to a Node that is Ready=True, neither terminal nor terminating, and not
//    yet Running with Ready=True, becomes phase Running with Initialized, ContainersReady and
//    Ready conditions True (containers start at once), and gets status.startTime then unless
//    it has one (which upstream karpenter.sh/do-not-disrupt durations count from).
//  - Orphans: a pod bound to a Node that does not exist is deleted (the pod garbage
//    collector's job upstream, after a short quarantine; here at once).
// Not modelled: pod startup time, readiness probes, NotReady pods on NotReady nodes, node
// heartbeats and leases, taint-based eviction.
//
// Nodes are never deleted here: Karpenter does that.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "cloud/simulated_cloud.h"
#include "core/clock.h"
#include "kube/cluster.h"

namespace karpenter::sim {

inline constexpr std::string_view kUnregisteredTaintKey = "karpenter.sh/unregistered";

class Kubelet {
 public:
  // How long after its Node is created a node reports Ready=True.
  static constexpr core::Duration kReadyDelay = std::chrono::seconds(5);

  // All three must outlive the kubelet.
  Kubelet(kube::ClusterPort& cluster, cloud::SimulatedCloud& cloud, const core::Clock& clock)
      : cluster_(cluster), cloud_(cloud), clock_(clock) {}

  // Does what is due at the clock's now (see the file comment). Idempotent: a second Step at
  // the same time changes nothing.
  void Step();
  // The earliest time after which Step() has something to do: a registration or a Ready
  // transition in the future, or now when bound pods are waiting to run (e.g. bound after the
  // last Step). nullopt when nothing is foreseen. Instance terminations the cloud schedules
  // itself (interruptions) are not foreseen; the next Step notices them.
  std::optional<core::Time> NextEvent() const;

  // Node name the kubelet gives the instance with `provider_id`: "node-<instance id>".
  static std::string NodeName(std::string_view provider_id);

 private:
  void RegisterNodes(core::Time now);
  void UpdateNodeReadiness(core::Time now);
  void RunPods();

  kube::ClusterPort& cluster_;
  cloud::SimulatedCloud& cloud_;
  const core::Clock& clock_;
  // Provider ids of instances registered so far: each registers once, so a Node Karpenter
  // deleted is not recreated while its instance shuts down.
  std::set<std::string, std::less<>> registered_;
};

}  // namespace karpenter::sim
