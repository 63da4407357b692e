// DisruptionController: starting a command, carrying it on until its replacements are ready,
// deleting its candidates, and giving it up.
#include <algorithm>
#include <utility>

#include "catalog/labels.h"
#include "controllers/disruption_controller.h"
#include "controllers/disruption_validation.h"
#include "controllers/lifecycle_keys.h"
#include "core/requirement.h"

namespace karpenter::controllers {
namespace {

struct CandidateClaim {
  std::string node;
  std::string claim;
};

// The candidates' Node and NodeClaim names, in the command's order; those the snapshot does not
// know (or that have no NodeClaim) are left out.
std::vector<CandidateClaim> CandidateClaims(const DisruptionInput& input,
                                            const disruption::Command& command) {
  std::vector<CandidateClaim> out;
  for (const std::string& name : command.candidates) {
    for (const disruption::SnapshotNode& node : input.snapshot.nodes) {
      if (node.Name() != name || !node.node_claim) continue;
      out.push_back({name, node.node_claim->metadata.name});
      break;
    }
  }
  return out;
}

std::string LabelOr(const core::Labels& labels, std::string_view key) {
  auto it = labels.find(std::string(key));
  return it == labels.end() ? std::string() : it->second;
}

// What a replacement NodeClaim says it is, for a command rebuilt after a restart (no price).
disruption::Replacement DescribeReplacement(const api::NodeClaim& claim) {
  disruption::Replacement replacement;
  replacement.node_pool = LabelOr(claim.metadata.labels, kNodePoolLabel);
  replacement.instance_type = LabelOr(claim.metadata.labels, catalog::kLabelInstanceType);
  replacement.capacity_type = LabelOr(claim.metadata.labels, catalog::kLabelCapacityType);
  for (const core::NodeSelectorRequirement& wire : claim.spec.requirements) {
    if (wire.key == catalog::kLabelInstanceType && wire.op == core::Operator::In) {
      replacement.instance_type_options = wire.values;
    }
    if (wire.key == catalog::kLabelCapacityType && wire.op == core::Operator::In &&
        wire.values.size() == 1 && replacement.capacity_type.empty()) {
      replacement.capacity_type = wire.values.front();
    }
  }
  if (replacement.instance_type.empty() && !replacement.instance_type_options.empty()) {
    replacement.instance_type = replacement.instance_type_options.front();
  }
  return replacement;
}

// Carries out the writes that start a command: the record on every candidate first (so a
// restarted controller finds whatever follows), the disrupted taint, then the replacement
// NodeClaims, whose names go to `created`. On a failed write, undoes the others and says why.
std::optional<std::string> Launch(kube::ClusterPort& cluster,
                                  const std::vector<CandidateClaim>& candidates,
                                  const CommandRecord& record,
                                  std::vector<api::NodeClaim> replacements, core::Time now,
                                  std::vector<std::string>& created) {
  auto undo = [&](std::string why) {
    // Upstream does not disrupt without its replacements; those launched are not needed.
    for (const std::string& name : created) (void)DeleteNodeClaim(cluster, name);
    created.clear();
    for (const CandidateClaim& candidate : candidates) {
      (void)SetDisruptedTaint(cluster, candidate.node, false);
      (void)ClearCommandRecord(cluster, candidate.claim);
    }
    return std::optional<std::string>(std::move(why));
  };
  for (const CandidateClaim& candidate : candidates) {
    if (!WriteCommandRecord(cluster, candidate.claim, record, now)) {
      return undo("NodeClaim " + candidate.claim + " could not be marked");
    }
  }
  for (const CandidateClaim& candidate : candidates) {
    if (!SetDisruptedTaint(cluster, candidate.node, true)) {
      return undo("node " + candidate.node + " could not be tainted");
    }
  }
  for (api::NodeClaim& claim : replacements) {
    auto made = cluster.NodeClaims().Create(std::move(claim));
    if (!made) return undo("replacement NodeClaim not created: " + made.error().message);
    created.push_back((*made)->metadata.name);
  }
  return std::nullopt;
}

}  // namespace

ReconcileResult DisruptionController::Start(const DisruptionInput& input,
                                            const disruption::Command& command,
                                            core::Time decided_at,
                                            std::optional<scheduling::SchedulingResult> simulation) {
  if (command.replacements.empty()) return DeleteCandidates(input, command, decided_at);
  const core::Time now = clock_.Now();
  const std::vector<CandidateClaim> candidates = CandidateClaims(input, command);
  if (candidates.size() != command.candidates.size()) {
    GiveUp(command, decided_at, "a candidate has no NodeClaim");
    return PassNow(now);
  }
  if (!simulation) {
    auto simulated = SimulateCommand(input, command);
    if (!simulated) {
      GiveUp(command, decided_at, simulated.error().message);
      return PassNow(now);
    }
    simulation = *std::move(simulated);
  }
  const CommandRecord record{candidates.front().claim + "." + std::to_string(EpochSeconds(now)),
                             command.method, command.reason, now, command.replacements.size()};
  auto replacements = ReplacementNodeClaims(input, command, *simulation, record.id);
  if (!replacements) {
    GiveUp(command, decided_at, replacements.error().message);
    return PassNow(now);
  }

  ExecutedCommand started = ExecutedCommand::Of(command, decided_at, now);
  if (auto failed = Launch(cluster_, candidates, record, *std::move(replacements), now,
                           started.replacement_node_claims)) {
    GiveUp(command, decided_at, *std::move(failed));
    return PassNow(now);
  }
  started.id = record.id;
  started_[record.id] = std::move(started);
  return ReconcileResult::After(std::min(options_.poll_interval, options_.replacement_timeout));
}

ReconcileResult DisruptionController::DeleteCandidates(const DisruptionInput& input,
                                                       const disruption::Command& command,
                                                       core::Time decided_at) {
  const core::Time now = clock_.Now();
  ExecutedCommand record = ExecutedCommand::Of(command, decided_at, now);
  record.candidates.clear();  // filled with the ones actually deleted
  // Tainted first, as upstream marks its candidates before it deletes them.
  for (const CandidateClaim& candidate : CandidateClaims(input, command)) {
    (void)SetDisruptedTaint(cluster_, candidate.node, true);
    if (DeleteNodeClaim(cluster_, candidate.claim)) record.candidates.push_back(candidate.node);
  }
  if (record.candidates.empty()) {
    GiveUp(command, decided_at, "no candidate NodeClaim could be deleted");
  } else {
    history_.push_back(std::move(record));
  }
  return PassNow(now);
}

ReconcileResult DisruptionController::Orchestrate(const InFlightCommand& command,
                                                  core::Time now) {
  for (const auto& replacement : command.replacements) {
    if (replacement->metadata.deletion_timestamp) {
      Abandon(command, "replacement NodeClaim " + replacement->metadata.name + " is being deleted",
              now);
      return PassNow(now);
    }
  }
  if (command.replacements.size() < command.record.replacements) {
    Abandon(command,
            std::to_string(command.record.replacements - command.replacements.size()) +
                " replacement NodeClaim(s) are gone",
            now);
    return PassNow(now);
  }
  const bool ready = std::ranges::all_of(command.replacements, [](const auto& replacement) {
    return IsConditionTrue(replacement->status.conditions, kConditionInitialized);
  });
  if (ready) {
    ExecutedCommand record = Describe(command);
    bool deleted = true;
    for (const auto& candidate : command.candidates) {
      deleted = DeleteNodeClaim(cluster_, candidate->metadata.name) && deleted;
    }
    // The ones not deleted keep the command in flight: try again shortly (upstream's queue
    // retries after a second).
    if (!deleted) return ReconcileResult::After(std::chrono::seconds(1));
    record.finished_at = now;
    started_.erase(command.record.id);
    history_.push_back(std::move(record));
    return PassNow(now);
  }
  const core::Time deadline = command.record.started_at + options_.replacement_timeout;
  if (now >= deadline) {
    Abandon(command,
            "replacements not initialized within " +
                std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                   options_.replacement_timeout)
                                   .count()) +
                "s",
            now);
    return PassNow(now);
  }
  // The replacements' changes bring the command back sooner (the NodeClaim watch).
  return ReconcileResult::After(std::min(options_.poll_interval, deadline - now));
}

void DisruptionController::Abandon(const InFlightCommand& command, std::string why,
                                   core::Time now) {
  ExecutedCommand record = Describe(command);
  for (const auto& candidate : command.candidates) {
    (void)SetDisruptedTaint(cluster_, NodeNameOf(*candidate), false);
    (void)ClearCommandRecord(cluster_, candidate->metadata.name);
  }
  record.finished_at = now;
  record.outcome = CommandOutcome::kAbandoned;
  record.abandoned_because = std::move(why);
  started_.erase(command.record.id);
  abandoned_.push_back(std::move(record));
}

ExecutedCommand DisruptionController::Describe(const InFlightCommand& command) const {
  if (auto it = started_.find(command.record.id); it != started_.end()) return it->second;
  ExecutedCommand record;
  record.id = command.record.id;
  record.method = command.record.method;
  record.reason = command.record.reason;
  for (const auto& candidate : command.candidates) record.candidates.push_back(NodeNameOf(*candidate));
  for (const auto& replacement : command.replacements) {
    record.replacements.push_back(DescribeReplacement(*replacement));
    record.replacement_node_claims.push_back(replacement->metadata.name);
  }
  record.decided_at = record.started_at = command.record.started_at;
  return record;
}

}  // namespace karpenter::controllers
