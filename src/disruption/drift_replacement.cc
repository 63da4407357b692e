#include "disruption/drift_replacement.h"

namespace karpenter::disruption {

DriftReplacementDecision ComputeDriftReplacement(const SchedulingView& view,
                                                 const std::vector<DriftedCandidate>& to_replace) {
  DriftReplacementDecision decision;
  for (const DriftedCandidate& entry : to_replace) {
    scheduling::SchedulingResult result = SimulateRemoval(view, {entry.candidate});
    if (!result.unschedulable.empty()) {
      decision.blocked.push_back({entry.candidate->Name(), "drifted, but " + UnschedulableReason(result)});
      continue;
    }
    Command command{Method::kDrift, "Drifted", {entry.candidate->Name()}, {}, std::nullopt};
    bool launchable = true;
    for (const scheduling::NewNodeClaim& claim : result.new_node_claims) {
      std::optional<Replacement> replacement = MakeReplacement(claim);
      if (!replacement) {
        launchable = false;
        break;
      }
      command.replacements.push_back(*std::move(replacement));
    }
    if (!launchable) {
      decision.blocked.push_back(
          {entry.candidate->Name(), "drifted, but a replacement has no available offering"});
      continue;
    }
    decision.command = std::move(command);
    break;
  }
  return decision;
}

}  // namespace karpenter::disruption
