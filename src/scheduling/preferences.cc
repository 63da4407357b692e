#include "scheduling/preferences.h"

#include <algorithm>

namespace karpenter::scheduling {
namespace {

std::optional<std::string> RemoveRequiredNodeAffinityTerm(PodConstraints& c) {
  // The last term is never removed: without it the pod would have no node affinity at all.
  if (c.required_terms.size() <= 1) return std::nullopt;
  c.required_terms.erase(c.required_terms.begin());
  return "removed required nodeAffinity term 0";
}

std::optional<std::string> RemovePreferredPodAffinityTerm(PodConstraints& c) {
  if (c.preferred_affinity.empty()) return std::nullopt;
  c.preferred_affinity.erase(c.preferred_affinity.begin());
  return "removed heaviest preferred podAffinity term";
}

std::optional<std::string> RemovePreferredPodAntiAffinityTerm(PodConstraints& c) {
  if (c.preferred_anti_affinity.empty()) return std::nullopt;
  c.preferred_anti_affinity.erase(c.preferred_anti_affinity.begin());
  return "removed heaviest preferred podAntiAffinity term";
}

std::optional<std::string> RemovePreferredNodeAffinityTerm(PodConstraints& c) {
  if (c.preferred_terms.empty()) return std::nullopt;
  c.preferred_terms.erase(c.preferred_terms.begin());
  return "removed heaviest preferred nodeAffinity term";
}

std::optional<std::string> RemoveScheduleAnywaySpread(PodConstraints& c) {
  for (size_t i = 0; i < c.spread.size(); ++i) {
    if (c.spread[i].when_unsatisfiable != api::UnsatisfiableConstraintAction::kScheduleAnyway) {
      continue;
    }
    std::string key = c.spread[i].topology_key;
    // As upstream: the last constraint takes the removed one's place.
    c.spread[i] = c.spread.back();
    c.spread.pop_back();
    return "removed ScheduleAnyway topology spread on " + key;
  }
  return std::nullopt;
}

std::optional<std::string> ToleratePreferNoSchedule(PodConstraints& c) {
  core::Toleration all_prefer_no_schedule;
  all_prefer_no_schedule.op = core::TolerationOperator::Exists;
  all_prefer_no_schedule.effect = core::TaintEffect::PreferNoSchedule;
  for (const core::Toleration& toleration : c.tolerations) {
    // Already tolerating every PreferNoSchedule taint: nothing to add.
    if (toleration.key.empty() && toleration.op == core::TolerationOperator::Exists &&
        (!toleration.effect || toleration.effect == core::TaintEffect::PreferNoSchedule)) {
      return std::nullopt;
    }
  }
  c.tolerations.push_back(all_prefer_no_schedule);
  return "added toleration of PreferNoSchedule taints";
}

}  // namespace

std::optional<std::string> Relax(PodConstraints& constraints, bool tolerate_prefer_no_schedule) {
  using Step = std::optional<std::string> (*)(PodConstraints&);
  static constexpr Step kSteps[] = {
      RemoveRequiredNodeAffinityTerm, RemovePreferredPodAffinityTerm,
      RemovePreferredPodAntiAffinityTerm, RemovePreferredNodeAffinityTerm,
      RemoveScheduleAnywaySpread,
  };
  for (Step step : kSteps) {
    if (std::optional<std::string> done = step(constraints)) return done;
  }
  if (tolerate_prefer_no_schedule) return ToleratePreferNoSchedule(constraints);
  return std::nullopt;
}

}  // namespace karpenter::scheduling
