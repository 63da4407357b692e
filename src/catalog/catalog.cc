#include "catalog/catalog.h"

#include <algorithm>
#include <utility>

#include "catalog/labels.h"

namespace karpenter::catalog {

Result<Catalog> Catalog::Create(std::vector<InstanceType> types, std::string region) {
  std::sort(types.begin(), types.end(),
            [](const InstanceType& a, const InstanceType& b) { return a.name() < b.name(); });
  auto duplicate = std::adjacent_find(
      types.begin(), types.end(),
      [](const InstanceType& a, const InstanceType& b) { return a.name() == b.name(); });
  if (duplicate != types.end()) {
    return Fail("instance type \"" + duplicate->name() + "\" is defined more than once");
  }
  Catalog catalog;
  catalog.region_ = std::move(region);
  catalog.types_ = std::move(types);
  catalog.named_by_label_ = std::all_of(
      catalog.types_.begin(), catalog.types_.end(),
      [](const InstanceType& type) { return type.Label(kLabelInstanceType) == type.name(); });
  return catalog;
}

const InstanceType* Catalog::Find(std::string_view name) const {
  auto it = std::lower_bound(
      types_.begin(), types_.end(), name,
      [](const InstanceType& type, std::string_view n) { return type.name() < n; });
  return it != types_.end() && it->name() == name ? &*it : nullptr;
}

std::vector<const InstanceType*> Catalog::Filter(const core::Requirements& requirements) const {
  return FilterImpl(requirements, nullptr, Time{});
}

std::vector<const InstanceType*> Catalog::Filter(const core::Requirements& requirements,
                                                 const UnavailableOfferings& unavailable,
                                                 Time now) const {
  return FilterImpl(requirements, &unavailable, now);
}

std::vector<const InstanceType*> Catalog::FilterImpl(const core::Requirements& requirements,
                                                     const UnavailableOfferings* unavailable,
                                                     Time now) const {
  // Get() copies; do it once, not once per type.
  const core::Requirement zone = requirements.Get(kLabelZone);
  const core::Requirement capacity_type = requirements.Get(kLabelCapacityType);
  std::vector<const InstanceType*> selected;
  auto consider = [&](const InstanceType& type) {
    if (!type.RequirementsFor(requirements).Intersects(requirements)) return;
    if (!type.HasAvailableOffering(zone, capacity_type, unavailable, now)) return;
    selected.push_back(&type);
  };
  // A NodeClaim names its types: look only at those (a launch filtered all 800 types of a
  // region). Values() is sorted, so the result keeps name order.
  const core::Requirement names = requirements.Get(kLabelInstanceType);
  if (named_by_label_ && !names.complement()) {
    for (const std::string& name : names.Values()) {
      if (const InstanceType* type = Find(name)) consider(*type);
    }
    return selected;
  }
  for (const InstanceType& type : types_) consider(type);
  return selected;
}

}  // namespace karpenter::catalog
