// Binder: a stand-in for kube-scheduler in simulations and controllers tests. Each Step()
// binds pending pods to nodes they fit, through the Binding subresource, and marks the pods
// it cannot place PodScheduled=False/Unschedulable, the condition Karpenter's provisioner
// waits for before it provisions (upstream pod.FailedToSchedule).
//
// The fit check is the scheduling library's (scheduling::Schedule with the cluster's nodes as
// existing nodes and no NodePools): resources (counting the pods already bound to each node),
// taints and tolerations, node selectors and node affinity, host ports, topology spread and
// pod (anti-)affinity, the same constraints Karpenter simulates. The choice is deterministic:
// the library's (pods in its queue order; each to the first node, by name, that fits).
//
// Which pods: no spec.nodeName, not terminating, not terminal, schedulerName
// default-scheduler. Which nodes: Ready=True, not cordoned (spec.unschedulable), not being
// deleted, without the karpenter.sh/disrupted:NoSchedule taint, and without any taint the
// scheduling library treats as ephemeral (karpenter.sh/unregistered, node.kubernetes.io/
// not-ready, unreachable, node.cloudprovider.kubernetes.io/uninitialized): kube-scheduler
// would let a pod that tolerates those in; this stand-in keeps every pod off such nodes
// (the library ignores those taints, so they are filtered here), which only matters for pods
// tolerating them.
//
// TODO: not done — priority and preemption (a pending higher-priority pod never evicts a
// lower-priority one; status.nominatedNodeName is never set); volume topology of
// PersistentVolumeClaims (the cluster port has no claims); scheduling gates; scheduler
// profiles other than default-scheduler; the scheduler's scoring (spreading, least-allocated):
// this is first fit.
#pragma once

#include <cstddef>

#include "core/clock.h"
#include "kube/cluster.h"

namespace karpenter::sim {

class Binder {
 public:
  // Both must outlive the binder.
  Binder(kube::ClusterPort& cluster, const core::Clock& clock)
      : cluster_(cluster), clock_(clock) {}

  // Binds every pending pod that fits a node now; marks the others Unschedulable (written
  // only when the condition changes, so a quiet cluster sees no writes). Returns how many pods
  // were bound.
  size_t Step();

 private:
  kube::ClusterPort& cluster_;
  const core::Clock& clock_;
};

}  // namespace karpenter::sim
