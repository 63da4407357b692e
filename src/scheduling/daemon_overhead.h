// DaemonSet pods every new node will run: which DaemonSets a NodePool's nodes of each instance
// type would get (upstream isDaemonPodCompatible, per group of types with the same set), and
// what they cost.
#pragma once

#include <vector>

#include "api/model/workloads.h"
#include "core/requirements.h"
#include "core/resource_list.h"
#include "core/taint.h"
#include "scheduling/pod_constraints.h"

namespace karpenter::scheduling {

struct DaemonPod {
  const api::DaemonSet* daemon_set = nullptr;
  PodConstraints constraints;  // tolerations include PreferNoSchedule: daemons ignore those
  // nodeSelector with each required term (any one suffices); invalid terms are left out.
  std::vector<core::Requirements> alternatives;
};

DaemonPod PrepareDaemon(const api::DaemonSet& daemon_set);

// Whether the daemon would run on a node with `taints` whose labels satisfy `node` (new nodes:
// well-known keys may be undefined; existing nodes: `allow` empty).
bool DaemonRunsOn(const DaemonPod& daemon, const std::vector<core::Taint>& taints,
                  const core::Requirements& node, const core::AllowUndefinedKeys& allow);

}  // namespace karpenter::scheduling
