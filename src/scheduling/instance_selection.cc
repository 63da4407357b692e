#include "scheduling/instance_selection.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "catalog/labels.h"
#include "scheduling/canonical.h"

namespace karpenter::scheduling {

PoolTypes::PoolTypes(std::vector<PoolType> types)
    : types_(std::move(types)), mask_words_((types_.size() + 63) / 64) {
  for (PoolType& type : types_) {
    type.over_committed = std::any_of(type.allocatable.begin(), type.allocatable.end(),
                                      [](core::Int128 amount) { return amount < 0; });
  }
}

bool PoolTypes::Defines(const std::string& key) {
  auto found = defined_keys_.find(key);
  if (found != defined_keys_.end()) return found->second;
  bool defined = std::any_of(types_.begin(), types_.end(), [&key](const PoolType& type) {
    return type.type->RequirementFor(key).has_value();
  });
  defined_keys_.emplace(key, defined);
  return defined;
}

std::vector<size_t> PoolTypes::Relevant(const Dense& requests) const {
  std::vector<size_t> relevant;
  for (size_t r = 0; r < requests.size(); ++r) {
    bool used = requests[r] != 0 ||
                std::any_of(daemon_overheads_.begin(), daemon_overheads_.end(),
                            [r](const Dense& overhead) { return overhead[r] != 0; });
    if (used) relevant.push_back(r);
  }
  return relevant;
}

const PoolTypes::Mask& PoolTypes::RequirementMask(const core::Requirement& requirement) {
  std::string key = Canonical(requirement);
  auto found = cache_.find(key);
  if (found != cache_.end()) return found->second;
  Mask mask(mask_words_, 0);
  core::Requirements incoming;
  incoming.Add(requirement);
  for (size_t i = 0; i < types_.size(); ++i) {
    std::optional<core::Requirement> own = types_[i].type->RequirementFor(requirement.key());
    bool ok = true;
    if (own) {
      core::Requirements existing;
      existing.Add(*own);
      ok = existing.Intersects(incoming).has_value();
    }
    if (ok) mask[i >> 6] |= uint64_t{1} << (i & 63);
  }
  return cache_.emplace(std::move(key), std::move(mask)).first->second;
}

const PoolTypes::Mask& PoolTypes::OfferingMask(const core::Requirement& zone,
                                               const core::Requirement& capacity_type) {
  std::string key = "\x04" + Canonical(zone) + "\x04" + Canonical(capacity_type);
  auto found = cache_.find(key);
  if (found != cache_.end()) return found->second;
  Mask mask(mask_words_, 0);
  for (size_t i = 0; i < types_.size(); ++i) {
    if (types_[i].type->HasAvailableOffering(zone, capacity_type)) {
      mask[i >> 6] |= uint64_t{1} << (i & 63);
    }
  }
  return cache_.emplace(std::move(key), std::move(mask)).first->second;
}

const PoolTypes::OfferingView& PoolTypes::Offerings(const core::Requirement& zone,
                                                   const core::Requirement& capacity_type) {
  std::string key = Canonical(zone) + "\x04" + Canonical(capacity_type);
  auto found = offering_views_.find(key);
  if (found != offering_views_.end()) return found->second;
  OfferingView view;
  view.price.assign(types_.size(), std::numeric_limits<double>::infinity());
  view.capacity_types.assign(types_.size(), 0);
  for (size_t i = 0; i < types_.size(); ++i) {
    for (const catalog::Offering& offering : types_[i].type->offerings()) {
      if (!offering.available || !zone.Has(offering.zone) ||
          !capacity_type.Has(catalog::ToString(offering.capacity_type))) {
        continue;
      }
      view.price[i] = std::min(view.price[i], offering.price);
      view.capacity_types[i] |= static_cast<uint8_t>(1u << static_cast<int>(offering.capacity_type));
    }
    view.order.push_back(static_cast<TypeIndex>(i));
  }
  std::sort(view.order.begin(), view.order.end(), [&](TypeIndex a, TypeIndex b) {
    if (view.price[a] != view.price[b]) return view.price[a] < view.price[b];
    return types_[a].type->name() < types_[b].type->name();
  });
  return offering_views_.emplace(std::move(key), std::move(view)).first->second;
}

PoolTypes::Mask PoolTypes::CompatibleMask(const core::Requirements& requirements) {
  Mask mask(mask_words_, ~uint64_t{0});
  for (const auto& [key, requirement] : requirements) {
    if (!Defines(key)) continue;
    const Mask& own = RequirementMask(requirement);
    for (size_t w = 0; w < mask_words_; ++w) mask[w] &= own[w];
  }
  return mask;
}

std::vector<TypeIndex> PoolTypes::Filter(const std::vector<TypeIndex>& options,
                                         const core::Requirements& requirements,
                                         const Dense& requests, FilterOutcome* outcome,
                                         const ResourceIndex& resources) {
  Mask compatible = CompatibleMask(requirements);
  const Mask& offering = OfferingMask(requirements.Get(catalog::kLabelZone),
                                      requirements.Get(catalog::kLabelCapacityType));
  const std::vector<size_t> relevant = Relevant(requests);
  std::vector<TypeIndex> kept;
  kept.reserve(options.size());
  for (TypeIndex i : options) {
    if (!TestBit(compatible, i) || !TestBit(offering, i)) continue;
    if (!FitsOn(i, requests, relevant)) continue;
    kept.push_back(i);
  }
  std::string min_values;
  if (!kept.empty()) {
    min_values = CheckMinValues(kept, requirements);
    if (min_values.empty()) return kept;
    kept.clear();
  }
  if (outcome != nullptr) {
    *outcome = FilterOutcome{};
    outcome->min_values = std::move(min_values);
    Explain(options, requirements, compatible, offering, requests, *outcome, resources);
  }
  return kept;
}

std::vector<TypeIndex> PoolTypes::FilterFits(const std::vector<TypeIndex>& options,
                                             const core::Requirements& requirements,
                                             const Dense& requests) const {
  const std::vector<size_t> relevant = Relevant(requests);
  std::vector<TypeIndex> kept;
  kept.reserve(options.size());
  for (TypeIndex i : options) {
    if (FitsOn(i, requests, relevant)) kept.push_back(i);
  }
  if (!kept.empty() && kept.size() < options.size() &&
      !CheckMinValues(kept, requirements).empty()) {
    kept.clear();
  }
  return kept;
}

std::string PoolTypes::CheckMinValues(const std::vector<TypeIndex>& options,
                                      const core::Requirements& requirements) const {
  std::string failed;
  for (const auto& [key, requirement] : requirements) {
    if (!requirement.min_values()) continue;
    std::set<std::string> values;
    for (TypeIndex i : options) {
      std::optional<core::Requirement> own = types_[i].type->RequirementFor(key);
      if (!own || own->complement()) continue;
      for (const std::string& value : own->Values()) {
        if (requirement.Has(value)) values.insert(value);
      }
    }
    if (static_cast<int>(values.size()) < *requirement.min_values()) {
      failed += (failed.empty() ? "" : ", ") + key + " has " + std::to_string(values.size()) +
                " of minValues " + std::to_string(*requirement.min_values());
    }
  }
  return failed.empty() ? "" : "minValues not met: " + failed;
}

void PoolTypes::Explain(const std::vector<TypeIndex>& options,
                        const core::Requirements& requirements, const Mask& compatible,
                        const Mask& offering, const Dense& requests, FilterOutcome& outcome,
                        const ResourceIndex& resources) {
  for (TypeIndex i : options) {
    bool req = TestBit(compatible, i);
    bool fit = FitsSum(requests, overhead_of(i), types_[i].allocatable);
    bool off = TestBit(offering, i);
    outcome.requirements_met |= req;
    outcome.fits |= fit;
    outcome.has_offering |= off;
    outcome.requirements_and_fits |= req && fit && !off;
    outcome.requirements_and_offering |= req && off && !fit;
    outcome.fits_and_offering |= fit && off && !req;
  }
  // The first requirement no option meets by itself, for "which label ruled them out".
  for (const auto& [key, requirement] : requirements) {
    if (!Defines(key)) continue;
    const Mask& own = RequirementMask(requirement);
    bool any = std::any_of(options.begin(), options.end(), [&](TypeIndex i) { return TestBit(own, i); });
    if (!any) {
      outcome.requirement_detail = "no instance type has " + requirement.ToString();
      break;
    }
  }
  // Per resource, the largest allocatable among types meeting requirements and offerings.
  Dense best(resources.size(), 0);
  for (TypeIndex i : options) {
    if (!TestBit(compatible, i) || !TestBit(offering, i)) continue;
    Dense free = Minus(types_[i].allocatable, overhead_of(i));
    for (size_t r = 0; r < best.size(); ++r) best[r] = std::max(best[r], free[r]);
  }
  for (size_t r : resources.report_order()) {
    if (requests[r] > best[r] && (outcome.requirements_and_offering || !outcome.fits)) {
      outcome.resource_detail = resources.name(r) + " " + FormatAmount(resources.name(r), requests[r]) +
                                " > largest allocatable " +
                                FormatAmount(resources.name(r), best[r]);
      break;
    }
  }
  std::string zone = requirements.Get(catalog::kLabelZone).ToString();
  std::string capacity = requirements.Get(catalog::kLabelCapacityType).ToString();
  outcome.offering_detail = "no available offering in " + zone + ", " + capacity;
}

std::string FilterOutcome::Explain() const {
  if (!min_values.empty()) return min_values;
  std::string resources = resource_detail.empty() ? "" : " (" + resource_detail + ")";
  if (!requirements_met && !fits && !has_offering) {
    return "no instance type met the requirements, had enough resources or had an offering" +
           (requirement_detail.empty() ? "" : " (" + requirement_detail + ")");
  }
  if (!requirements_met) {
    return requirement_detail.empty() ? "no instance type met the requirements"
                                      : requirement_detail;
  }
  if (!fits) return "no instance type has enough resources" + resources;
  if (!has_offering) return offering_detail;
  if (requirements_and_offering) {
    return "no instance type meeting the requirements with an offering has enough resources" +
           resources;
  }
  if (requirements_and_fits) {
    return "no instance type meeting the requirements with enough resources has an offering "
           "(" + offering_detail + ")";
  }
  if (fits_and_offering) {
    return "no instance type with enough resources and an offering meets the requirements";
  }
  return "no instance type met requirements, resources and offerings together";
}

}  // namespace karpenter::scheduling
