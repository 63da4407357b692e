// Checking a decided disruption command again on a fresh view of the cluster before carrying it
// out, and turning its replacements into NodeClaims. Mirrors upstream's validation.go (the
// emptiness and consolidation validators, run consolidationTTL after the decision) and the
// orchestration queue's replacement launch.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/model/node_claim.h"
#include "controllers/disruption_input.h"
#include "core/result.h"
#include "disruption/candidates.h"
#include "disruption/command.h"
#include "scheduling/scheduler.h"

namespace karpenter::controllers {

struct CommandValidation {
  // Why the command no longer holds; nullopt when it does.
  std::optional<std::string> invalid_because;
  // The command to carry out: for emptiness, the candidates still valid (upstream narrows an
  // emptiness command rather than dropping it); otherwise the command as decided.
  disruption::Command command;
  // For a command with replacements: the simulation its replacements launch from (pointers
  // into the input it was validated on).
  std::optional<scheduling::SchedulingResult> simulation;
};

// Validates `command` (emptiness, multi-node or single-node consolidation) against `input`:
//  - emptiness: keeps the candidates that are still candidates (disruption::FindCandidates),
//    still have no reschedulable pod, are consolidatable, and fit their NodePool's Empty
//    budget counted down in order; invalid when none is left;
//  - consolidation: every candidate must still be a consolidation candidate (candidate,
//    non-empty, policy not WhenEmpty, consolidatable, priced) and fit the Underutilized
//    budgets counted down; then the removal is simulated again: every pod must fit; no new
//    node is only valid for a command without replacement; more than one new node is never
//    valid; one new node is valid for a command with one replacement whose instance types
//    are all among the simulated node's options (the simulation does not filter by price, so
//    a subset means the replacement is still possible and still as cheap).
// Other methods are returned valid, unchanged (upstream validates only these).
CommandValidation ValidateCommand(const DisruptionInput& input, const disruption::Command& command);

// The removal simulation of `command`'s candidates on `input` (what its replacements launch
// from), or an error when a candidate is no longer a candidate or a pod no longer fits.
Result<scheduling::SchedulingResult> SimulateCommand(const DisruptionInput& input,
                                                     const disruption::Command& command);

// One NodeClaim per replacement of `command`: the simulated new node (`simulation`'s
// new_node_claims, matched by position) from its NodePool's template (MakeNodeClaim), its
// instance-type options restricted to the replacement's (in the replacement's order), its
// capacity type to the replacement's, annotated karpenter-cpp.io/disruption-replacement-for:
// `command_id`. Fails when the counts differ, a NodePool is no longer offered, or no option
// is left.
Result<std::vector<api::NodeClaim>> ReplacementNodeClaims(
    const DisruptionInput& input, const disruption::Command& command,
    const scheduling::SchedulingResult& simulation, const std::string& command_id);

}  // namespace karpenter::controllers
