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
// Priority, as kube-scheduler's queue and default preemption treat it:
//  - Pending pods are placed highest priority first: one scheduling pass per priority level,
//    in descending order, each seeing what the passes before it bound. Within a level, pods
//    nominated to a node (status.nominatedNodeName) go first; a nominated pod still pending
//    after that keeps its room on its node for the pods of its level and lower ones, as
//    kube-scheduler adds nominated pods of at least the pod's priority when it filters.
//    Priority is spec.priority, else the pod's PriorityClass (see internal/preemption.h).
//  - A pod left unschedulable may preempt (unless its preemptionPolicy is Never): on each
//    node where removing every pod of lower priority makes it fit, the lower-priority pods
//    are given back one at a time, most important first (higher priority, then earlier
//    start), those whose PodDisruptionBudget their removal would break before the others,
//    while it still fits; the rest are that node's victims. The node chosen has the fewest
//    budget violations, then the lowest highest-priority victim, the lowest sum of victim
//    priorities, the fewest victims, the latest start of its highest-priority victims, then
//    the first by name. Its victims get the DisruptionTarget condition (reason
//    PreemptionByScheduler) and are deleted (not evicted: budgets are only preferred, as
//    upstream), pods of lower priority nominated to that node lose their nomination, and the
//    preemptor is nominated there; it binds on a later Step, once the victims are gone.
//    Preemptors are handled highest priority first, each seeing the victims and nominations
//    of those before it in the same Step. A nominated pod does not preempt again while
//    lower-priority pods on its node are terminating; one for which no node can be freed
//    loses its nomination.
//  - Budgets: disruptionsAllowed from the store's status as kube-controller-manager's
//    disruption controller writes it, or, on the in-memory cluster (which runs no such
//    controller), as MemoryCluster::BudgetStatus computes it. As kube-scheduler, a budget
//    with an empty selector, or a pod without labels, is not counted.
//  - Start times: status.startTime, which the kubelet stand-in sets when it runs the pod; a
//    pod without one (not started, or hand-written) counts from its creationTimestamp.
//
// TODO: not done — volume topology of PersistentVolumeClaims (the cluster port has no
// claims); scheduling gates; scheduler profiles other than default-scheduler; the scheduler's
// scoring (spreading, least-allocated): this is first fit.
#pragma once

#include <cstddef>
#include <vector>

#include "core/clock.h"
#include "kube/cluster.h"
#include "scheduling/cluster_nodes.h"
#include "scheduling/scheduler.h"

namespace karpenter::sim {

namespace internal {
class PriorityResolver;
}  // namespace internal

class Binder {
 public:
  // Both must outlive the binder.
  Binder(kube::ClusterPort& cluster, const core::Clock& clock) : cluster_(cluster), clock_(clock) {}

  // Binds every pending pod that fits a node now; marks the others Unschedulable and lets
  // them preempt (see the file comment). Status is written only when the condition or the
  // nomination changes, so a quiet cluster sees no writes. Returns how many pods were bound.
  size_t Step();

  // Pods deleted so far to make room for higher-priority pods.
  size_t preempted_pods() const { return preempted_pods_; }
  // Preemptions so far: a pending pod nominated to a node after its victims were deleted.
  size_t preemptions() const { return preemptions_; }

 private:
  // Lets the unschedulable pods preempt, highest priority first, and writes their status.
  // `input` holds the accepting nodes with the pods bound to them; `nominated[i]`, the
  // pending pods nominated to input.existing_nodes[i].
  void Preempt(const internal::PriorityResolver& priorities,
               const scheduling::SchedulingInput& input,
               std::vector<std::vector<const api::Pod*>> nominated,
               const std::vector<scheduling::UnschedulablePod>& unschedulable);

  kube::ClusterPort& cluster_;
  const core::Clock& clock_;
  // Node requirements kept between steps.
  scheduling::NodeRequirementsCache node_requirements_;
  size_t preempted_pods_ = 0;
  size_t preemptions_ = 0;
};

}  // namespace karpenter::sim
