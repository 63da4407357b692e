// How the disruption controller records a command it is carrying out in the cluster itself, so
// that a restarted controller finds it and resumes it (or gives it up cleanly) from the cluster
// port alone.
//
// A command with replacements is recorded, before any other write, on each candidate NodeClaim:
//   karpenter-cpp.io/disruption-command:      the command's id ("<first candidate's NodeClaim
//                                             name>.<start time in epoch seconds>")
//   karpenter-cpp.io/disruption-method:       "multi-node", "single-node", "drift", ...
//   karpenter-cpp.io/disruption-reason:       "Underutilized", "Drifted", ...
//   karpenter-cpp.io/disruption-started-at:   start time, seconds since the epoch
//   karpenter-cpp.io/disruption-replacements: how many replacement NodeClaims it launches
// plus the status condition DisruptionReason=True (reason: the command's reason), as upstream
// marks its candidates; and on each replacement NodeClaim it creates:
//   karpenter-cpp.io/disruption-replacement-for: the command's id.
// The candidates' Nodes carry karpenter.sh/disrupted:NoSchedule while it runs. A command is in
// flight while one of its candidate NodeClaims is not being deleted; it ends when the
// candidates are deleted (done) or the annotations and taints are removed (given up).
//
// Commands without replacements (emptiness, delete-only consolidation, expiry) are carried out
// in one reconcile (taint, delete) and need no record.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/model/node.h"
#include "api/model/node_claim.h"
#include "core/clock.h"
#include "disruption/command.h"
#include "kube/cluster.h"

namespace karpenter::controllers {

inline constexpr std::string_view kDisruptionCommandAnnotation =
    "karpenter-cpp.io/disruption-command";
inline constexpr std::string_view kDisruptionMethodAnnotation = "karpenter-cpp.io/disruption-method";
inline constexpr std::string_view kDisruptionReasonAnnotation = "karpenter-cpp.io/disruption-reason";
inline constexpr std::string_view kDisruptionStartedAtAnnotation =
    "karpenter-cpp.io/disruption-started-at";
inline constexpr std::string_view kDisruptionReplacementsAnnotation =
    "karpenter-cpp.io/disruption-replacements";
inline constexpr std::string_view kDisruptionReplacementForAnnotation =
    "karpenter-cpp.io/disruption-replacement-for";
// Upstream's NodeClaim condition naming why a candidate is being disrupted.
inline constexpr std::string_view kConditionDisruptionReason = "DisruptionReason";

// What a started command writes on its candidates.
struct CommandRecord {
  std::string id;
  disruption::Method method = disruption::Method::kEmptiness;
  std::string reason;
  core::Time started_at;
  size_t replacements = 0;

  friend bool operator==(const CommandRecord&, const CommandRecord&) = default;
};

// The inverse of disruption::ToString(Method); nullopt for anything else.
std::optional<disruption::Method> ParseMethod(std::string_view text);

// The record `claim` carries, or nullopt when it carries none (or a damaged one: then the
// claim is not part of a command, and its Node's taint is cleaned up like any stale one).
std::optional<CommandRecord> ReadCommandRecord(const api::NodeClaim& claim);

// A command in flight, as the cluster shows it.
struct InFlightCommand {
  CommandRecord record;
  // The candidates carrying the record and not being deleted (at least one).
  std::vector<kube::ObjectPtr<api::NodeClaim>> candidates;
  // The NodeClaims created as its replacements (being deleted or not).
  std::vector<kube::ObjectPtr<api::NodeClaim>> replacements;
};

// The commands in flight among `claims`, ordered by id.
std::vector<InFlightCommand> FindInFlightCommands(
    const std::vector<kube::ObjectPtr<api::NodeClaim>>& claims);

// The name of the node `claim` stands for: its Node's (status.nodeName) once registered, else
// its own.
const std::string& NodeNameOf(const api::NodeClaim& claim);

// The Node carries karpenter.sh/disrupted:NoSchedule.
bool HasDisruptedTaint(const api::Node& node);

// Adds (`tainted`) or removes the karpenter.sh/disrupted:NoSchedule taint of Node `node`.
// A Node that is gone counts as done. False when the write failed.
bool SetDisruptedTaint(kube::ClusterPort& cluster, const std::string& node, bool tainted);

// Writes `record` on NodeClaim `claim` (annotations and the DisruptionReason condition).
bool WriteCommandRecord(kube::ClusterPort& cluster, const std::string& claim,
                        const CommandRecord& record, core::Time now);
// Removes what WriteCommandRecord wrote. A NodeClaim that is gone counts as done.
bool ClearCommandRecord(kube::ClusterPort& cluster, const std::string& claim);

// Deletes NodeClaim `claim` (the lifecycle and termination controllers drain its Node and
// terminate its instance). Gone already counts as done.
bool DeleteNodeClaim(kube::ClusterPort& cluster, const std::string& claim);

// Removes the disrupted taint from every Node that carries it although no command holds it:
// the Node is not being deleted, and its NodeClaim (if any) is neither being deleted nor
// carries a command record. What a command left behind when the controller stopped between
// writes; upstream un-taints the same way on every pass. Returns the Nodes un-tainted.
std::vector<std::string> RemoveStaleDisruptedTaints(
    kube::ClusterPort& cluster, const std::vector<kube::ObjectPtr<api::Node>>& nodes,
    const std::vector<kube::ObjectPtr<api::NodeClaim>>& claims);

}  // namespace karpenter::controllers
