// Drift detection: a node no longer matches what its NodePool (or EC2NodeClass, or the
// catalog) says it should be, and should be replaced. Mirrors upstream Karpenter's NodeClaim
// drift checks (in their order: static fields, requirements, instance type, then the AWS
// provider's AMI, subnet and security groups) and the Drift method's ordering. Empty drifted
// nodes are deleted here within the Drifted budget; replacing non-empty ones needs the
// scheduling simulation and is left to the caller.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/model/ec2_node_class.h"
#include "api/model/node_claim.h"
#include "api/model/node_pool.h"
#include "disruption/budgets.h"
#include "disruption/candidates.h"
#include "disruption/command.h"
#include "disruption/snapshot.h"

namespace karpenter::disruption {

enum class DriftReason {
  kNodePoolDrifted,       // template hash changed (nodepool_hash.h)
  kRequirementsDrifted,   // NodeClaim labels no longer satisfy the NodePool's requirements
  kInstanceTypeNotFound,  // the catalog lost the type, or every offering matching the labels
  kAMIDrift,              // status.imageID is not among the EC2NodeClass's AMIs for the type
  kSubnetDrift,           // the instance's subnet is not among the EC2NodeClass's subnets
  kSecurityGroupDrift,    // the instance's security groups differ from the EC2NodeClass's
};

// Upstream's words: "NodePoolDrifted", "RequirementsDrifted", "InstanceTypeNotFound",
// "AMIDrift", "SubnetDrift", "SecurityGroupDrift".
std::string_view ToString(DriftReason reason);

struct Drift {
  DriftReason reason;
  std::string detail;  // what differs, for a person
};

// The first drift `node` shows under `node_pool`, or nullopt. Checks that lack their data are
// skipped: no catalog (instance type), no EC2NodeClass or empty status lists (AMI, subnet,
// security groups; upstream errors out and reports no drift), unknown instance network
// (subnet, security groups). NodeClaim labels are read for requirements and instance type (the
// Node's when the NodeClaim has none).
std::optional<Drift> DetectDrift(const Snapshot& snapshot, const SnapshotNode& node,
                                 const api::NodePool& node_pool);

struct DriftedCandidate {
  const Candidate* candidate = nullptr;
  Drift drift;
  // The Drifted condition's lastTransitionTime when the NodeClaim already has Drifted=True,
  // else the snapshot's now (drift first seen now).
  Time drifted_since;
};

// The drifted candidates: empty ones (no reschedulable pods) first, each group by drift time,
// then name, as upstream orders them.
std::vector<DriftedCandidate> FindDrifted(const Snapshot& snapshot,
                                          const std::vector<Candidate>& candidates);

struct DriftDecision {
  // Method drift, reason Drifted, deleting every empty drifted candidate its NodePool's
  // Drifted budget allows; nullopt when none.
  std::optional<Command> command;
  // Non-empty drifted candidates, in order, whose NodePool still has Drifted budget once the
  // empty ones are counted: the ones to try replacing when `command` is empty (upstream
  // replaces the first that simulates successfully, one per pass, so they do not count the
  // budget down).
  std::vector<DriftedCandidate> to_replace;
  // Drifted candidates held back by the budget.
  std::vector<BlockedNode> blocked;
};

// Upstream deletes empty drifted nodes first, in one command, without a scheduling
// simulation; only when there are none does it replace a non-empty one.
DriftDecision ComputeDrift(const std::vector<DriftedCandidate>& drifted, BudgetMapping budgets);

}  // namespace karpenter::disruption
