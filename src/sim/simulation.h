// A provisioning simulation: the snapshot's pending pods scheduled round by round
// (scheduling::Schedule), each NodeClaim launched on its cheapest allowed offering
// (scheduling::ChooseLaunch) and named, and the plan's cost set beside its LP lower bound.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/model/pod.h"
#include "catalog/instance_type.h"
#include "catalog/offering.h"
#include "core/requirements.h"
#include "core/resource_list.h"
#include "scheduling/lower_bound.h"
#include "scheduling/scheduler.h"
#include "sim/snapshot.h"

namespace karpenter::sim {

// A NodeClaim the plan launches.
struct LaunchedNodeClaim {
  std::string name;  // "<nodepool>-<5 characters>", deterministic
  std::string node_pool;
  int round = kDefaultRound;
  const catalog::InstanceType* instance_type = nullptr;  // the launch choice
  const catalog::Offering* offering = nullptr;           // its zone, capacity type and price
  // Every type the NodeClaim allowed, cheapest first (as the scheduler ordered them).
  std::vector<const catalog::InstanceType*> instance_type_options;
  // Pods it was launched for (later rounds' pods placed on it are in Plan::existing_nodes).
  std::vector<const api::Pod*> pods;
  core::ResourceList requests;  // the pods' requests plus DaemonSet overhead, with `pods`
  // The labels the node gets (what later rounds see): the instance type's and NodePool
  // template's labels, single-valued requirements, hostname = name, zone, capacity type,
  // instance type and NodePool.
  core::Labels labels;
};

// Pods placed on capacity that existed before their round: input nodes and in-flight
// NodeClaims, and NodeClaims launched in an earlier round.
struct NodePlacement {
  std::string node_name;
  std::vector<const api::Pod*> pods;  // in the order they were placed
};

struct UnschedulablePod {
  const api::Pod* pod = nullptr;
  int round = kDefaultRound;
  std::string reason;
};

struct Plan {
  std::vector<LaunchedNodeClaim> node_claims;       // in launch order
  std::vector<NodePlacement> existing_nodes;        // one per node, in order of first placement
  // By round: first the snapshot's rejected pods (in input order), then the scheduler's, in its
  // order.
  std::vector<UnschedulablePod> unschedulable;
  double cost_per_hour = 0;                         // sum of the launched offerings' prices
  // The LP bound (scheduling/lower_bound.h), summed over the NodePools that launched: each
  // covers the requests of its NodeClaims with the types it allows, priced at the cheapest
  // available offering its zone and capacity-type requirements allow. Feasible and 0 when
  // nothing is launched; never above cost_per_hour.
  scheduling::CostLowerBound lower_bound;
};

// Runs every round of `snapshot`. Deterministic. The plan points into `snapshot` (pods,
// instance types): it is valid while the snapshot lives.
Plan Simulate(const Snapshot& snapshot);

// The scheduler's input for round `round` as Simulate builds it (earlier rounds' launches are
// in-flight capacity), or nullopt when the snapshot has no such round. What `karpenter explain`
// traces one pod through.
std::optional<scheduling::SchedulingInput> RoundInput(const Snapshot& snapshot, int round);

}  // namespace karpenter::sim
