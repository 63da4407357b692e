// Words for why a pod cannot go somewhere: short, deterministic, naming the constraint; and
// the full elimination trail of one pod (`karpenter explain --pod`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/model/pod.h"
#include "core/requirements.h"
#include "scheduling/pod_constraints.h"

namespace karpenter::scheduling {

struct SchedulingInput;

// Candidates (instance types or NodeClaims) ruled out for one and the same reason.
struct EliminationGroup {
  std::string reason;
  size_t count = 0;
  std::vector<std::string> examples;  // the first few (at most 3), in the order tried

  friend bool operator==(const EliminationGroup&, const EliminationGroup&) = default;
};

// Why one existing node did not take the pod (or that it did).
struct NodeCheck {
  std::string node;
  // The check that failed: "marked for deletion", "taints", "resources", "host ports",
  // "requirements", "topology"; empty when the node takes the pod.
  std::string check;
  std::string reason;
};

// What a new NodeClaim from one NodePool would make of the pod.
struct NodePoolCheck {
  std::string node_pool;
  int32_t weight = 0;
  size_t catalog_types = 0;  // instance types its NodeClass offers
  size_t pool_types = 0;     // of those, allowed by its requirements and with an offering
  // The check that excluded the NodePool: "instance types" (none at all, or none left after
  // the eliminations below), "limits", "taints", "host ports", "requirements", "topology";
  // empty when a new NodeClaim from it would take the pod.
  std::string check;
  std::string reason;
  // The domains the pod's topology allows a new node in (hostname left out), e.g.
  // "topology.kubernetes.io/zone In [us-east-1a]"; empty without topology constraints.
  std::string topology;
  // Instance types ruled out, grouped by reason, in the order checked: NodePool limits, the
  // pod's (and topology's) requirements key by key, offerings, resources, minValues.
  std::vector<EliminationGroup> eliminated;
  size_t remaining = 0;                 // instance types left
  std::vector<std::string> cheapest;    // the cheapest of those, at most 5
};

enum class TrailOutcome {
  kExistingNode,       // placed on an existing node (`node`)
  kInFlightNodeClaim,  // added to a NodeClaim an earlier pod of this run opened
  kNewNodeClaim,       // opened a new NodeClaim
  kUnschedulable,
};

// Everything the scheduler checked at its last attempt to place one pod, in the order it
// checked, with the state of the run at that moment (other pods already placed).
struct PodTrail {
  std::string pod;  // namespace/name
  TrailOutcome outcome = TrailOutcome::kUnschedulable;
  std::string node;       // kExistingNode: the node
  int node_claim = -1;    // NodeClaim outcomes: index into Schedule(input).new_node_claims
  std::string node_pool;  // NodeClaim outcomes: its NodePool
  std::string reason;     // kUnschedulable: the scheduler's one-line reason
  int attempts = 0;       // how many times the pod was tried
  // What was relaxed before the last attempt (preferences dropped), in order.
  std::vector<std::string> relaxations;
  // Existing nodes in the order tried, up to and including the one that took the pod.
  std::vector<NodeCheck> existing_nodes;
  // NodeClaims of this run tried (fewest pods first) before the one that took the pod, or all
  // of them; those that refused, grouped by reason (examples "nodeclaim 3 (default)").
  size_t in_flight_tried = 0;
  std::vector<EliminationGroup> in_flight;
  // Every NodePool in the order tried (weight descending, then name), whether or not the pod
  // needed a new NodeClaim.
  std::vector<NodePoolCheck> node_pools;
};

// Runs the scheduler on `input` and returns the trail of `pod`: a pending pod of `input`
// (matched by address, else by namespace and name), or, when it is not pending, `pod` added
// to the pending pods. The placement is the one Schedule(input) makes (for a pod that was not
// pending, the one Schedule makes with it added); other pods are scheduled as usual.
PodTrail ExplainPod(const SchedulingInput& input, const api::Pod& pod);

// The trail as indented lines of text for people, deterministic.
std::vector<std::string> FormatTrail(const PodTrail& trail);

// The first host port of `wanted` that one of `used` already binds, as
// "host port 8080/TCP is already in use"; nullopt when none conflicts.
std::optional<std::string> HostPortConflict(const std::vector<HostPort>& wanted,
                                            const std::vector<HostPort>& used);

// Why `pod` requirements are not compatible with `node` requirements (what `node_desc`, e.g.
// "NodePool \"default\"", defines), naming the first key by key order:
//   requirement "k In [x]" needs label "k", which <node_desc> does not define
//   requirement "k In [x]" conflicts with <node_desc>'s "k In [a b]"
std::string ExplainIncompatible(const core::Requirements& node, const core::Requirements& pod,
                                const core::AllowUndefinedKeys& allow, std::string_view node_desc);

// One line for a pod that fits nowhere: each NodePool's reason, "; "-joined.
std::string JoinReasons(const std::vector<std::string>& reasons);

}  // namespace karpenter::scheduling
