#include "controllers/disruption_validation.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "catalog/labels.h"
#include "controllers/disruption_state.h"
#include "controllers/provisioner.h"
#include "disruption/budgets.h"
#include "disruption/consolidation.h"
#include "disruption/emptiness.h"

namespace karpenter::controllers {
namespace {

using disruption::Candidate;
using disruption::Method;

bool IsConsolidation(Method method) {
  return method == Method::kMultiNodeConsolidation || method == Method::kSingleNodeConsolidation;
}

// The candidates of `set` by name.
std::map<std::string_view, const Candidate*> ByName(const std::vector<Candidate>& candidates) {
  std::map<std::string_view, const Candidate*> by_name;
  for (const Candidate& candidate : candidates) by_name.emplace(candidate.Name(), &candidate);
  return by_name;
}

// Counts `candidate` against its NodePool's budget; false when the budget has no room.
bool TakeBudget(disruption::BudgetMapping& budgets, const Candidate& candidate) {
  auto it = budgets.find(candidate.node_pool->metadata.name);
  if (it == budgets.end() || it->second.allowed <= 0) return false;
  --it->second.allowed;
  return true;
}

CommandValidation ValidateEmptiness(const DisruptionInput& input,
                                    const disruption::Command& command) {
  CommandValidation validation{std::nullopt, command, std::nullopt};
  const disruption::CandidateSet set = disruption::FindCandidates(input.snapshot);
  const auto by_name = ByName(set.candidates);
  disruption::BudgetMapping budgets =
      disruption::BuildBudgetMapping(input.snapshot, api::DisruptionReason::kEmpty);
  validation.command.candidates.clear();
  for (const std::string& name : command.candidates) {
    auto it = by_name.find(name);
    if (it == by_name.end() || !it->second->reschedulable_pods.empty()) continue;
    const Candidate& candidate = *it->second;
    if (disruption::NotConsolidatableReason(*candidate.node, *candidate.node_pool,
                                            input.snapshot.now)) {
      continue;
    }
    if (TakeBudget(budgets, candidate)) validation.command.candidates.push_back(name);
  }
  if (validation.command.candidates.empty()) {
    validation.invalid_because = "no candidate is still empty, consolidatable and within budget";
  }
  return validation;
}

// Whether the simulated new node still allows every instance type the replacement chose.
bool OptionsStillAllowed(const disruption::Replacement& replacement,
                         const scheduling::NewNodeClaim& simulated) {
  std::set<std::string_view> allowed;
  for (const catalog::InstanceType* type : simulated.instance_type_options) {
    allowed.insert(type->name());
  }
  return std::ranges::all_of(replacement.instance_type_options,
                             [&](const std::string& name) { return allowed.contains(name); });
}

// Upstream's validateCommand, on a simulation of the command's candidates.
std::optional<std::string> SimulationChanged(const disruption::Command& command,
                                             const scheduling::SchedulingResult& result) {
  if (!result.unschedulable.empty()) return disruption::UnschedulableReason(result);
  const size_t launched = result.new_node_claims.size();
  if (launched == 0 && command.replacements.empty()) return std::nullopt;
  if (launched == 1 && command.replacements.size() == 1 &&
      OptionsStillAllowed(command.replacements.front(), result.new_node_claims.front())) {
    return std::nullopt;
  }
  return "the scheduling simulation now needs " + std::to_string(launched) +
         " new node(s) of other instance types than decided";
}

CommandValidation ValidateConsolidation(const DisruptionInput& input,
                                        const disruption::Command& command) {
  CommandValidation validation{std::nullopt, command, std::nullopt};
  const disruption::CandidateSet set = disruption::FindCandidates(input.snapshot);
  std::vector<disruption::BlockedNode> blocked;
  const auto by_name = ByName(set.candidates);
  std::set<const Candidate*> consolidatable;
  for (const Candidate* candidate :
       disruption::ConsolidationCandidates(input.snapshot, set.candidates, blocked)) {
    consolidatable.insert(candidate);
  }
  disruption::BudgetMapping budgets =
      disruption::BuildBudgetMapping(input.snapshot, api::DisruptionReason::kUnderutilized);
  std::vector<const Candidate*> picked;
  for (const std::string& name : command.candidates) {
    auto it = by_name.find(name);
    if (it == by_name.end() || !consolidatable.contains(it->second)) {
      validation.invalid_because = "node " + name + " is no longer a consolidation candidate";
      return validation;
    }
    if (!TakeBudget(budgets, *it->second)) {
      validation.invalid_because = "node " + name + " no longer fits its NodePool's budget";
      return validation;
    }
    picked.push_back(it->second);
  }
  scheduling::SchedulingResult result = disruption::SimulateRemoval(input.view, picked);
  validation.invalid_because = SimulationChanged(command, result);
  if (!validation.invalid_because) validation.simulation = std::move(result);
  return validation;
}

}  // namespace

CommandValidation ValidateCommand(const DisruptionInput& input,
                                  const disruption::Command& command) {
  if (command.method == Method::kEmptiness) return ValidateEmptiness(input, command);
  if (IsConsolidation(command.method)) return ValidateConsolidation(input, command);
  return {std::nullopt, command, std::nullopt};
}

Result<scheduling::SchedulingResult> SimulateCommand(const DisruptionInput& input,
                                                     const disruption::Command& command) {
  const disruption::CandidateSet set = disruption::FindCandidates(input.snapshot);
  const auto by_name = ByName(set.candidates);
  std::vector<const Candidate*> picked;
  for (const std::string& name : command.candidates) {
    auto it = by_name.find(name);
    if (it == by_name.end()) return Fail("node " + name + " is no longer a candidate");
    picked.push_back(it->second);
  }
  scheduling::SchedulingResult result = disruption::SimulateRemoval(input.view, picked);
  if (!result.unschedulable.empty()) return Fail(disruption::UnschedulableReason(result));
  return result;
}

Result<std::vector<api::NodeClaim>> ReplacementNodeClaims(
    const DisruptionInput& input, const disruption::Command& command,
    const scheduling::SchedulingResult& simulation, const std::string& command_id) {
  if (simulation.new_node_claims.size() != command.replacements.size()) {
    return Fail("the simulation launches " + std::to_string(simulation.new_node_claims.size()) +
                " node(s), the command " + std::to_string(command.replacements.size()));
  }
  std::vector<api::NodeClaim> claims;
  for (size_t i = 0; i < command.replacements.size(); ++i) {
    const disruption::Replacement& decided = command.replacements[i];
    scheduling::NewNodeClaim claim = simulation.new_node_claims[i];
    const api::NodePool* pool = input.OfferedNodePool(claim.node_pool);
    if (pool == nullptr) return Fail("NodePool " + claim.node_pool + " is no longer offered");
    std::vector<const catalog::InstanceType*> options;
    for (const std::string& name : decided.instance_type_options) {
      auto it = std::ranges::find_if(claim.instance_type_options,
                                     [&](const catalog::InstanceType* t) { return t->name() == name; });
      if (it != claim.instance_type_options.end()) options.push_back(*it);
    }
    if (options.empty()) return Fail("no instance type of replacement " + decided.instance_type + " is left");
    claim.instance_type_options = std::move(options);
    claim.requirements.Add(
        core::Requirement::In(std::string(catalog::kLabelCapacityType), {decided.capacity_type}));
    api::NodeClaim object = MakeNodeClaim(*pool, claim);
    object.metadata.annotations[std::string(kDisruptionReplacementForAnnotation)] = command_id;
    claims.push_back(std::move(object));
  }
  return claims;
}

}  // namespace karpenter::controllers
