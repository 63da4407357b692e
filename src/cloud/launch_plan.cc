#include "cloud/launch_plan.h"

#include <algorithm>
#include <limits>
#include <map>
#include <string_view>

#include "catalog/labels.h"

namespace karpenter::cloud {
namespace {

using catalog::CapacityType;

bool HasCapacityType(const std::vector<LaunchOption>& options, CapacityType type) {
  return std::any_of(options.begin(), options.end(), [type](const LaunchOption& option) {
    return option.offering->capacity_type == type;
  });
}

// Upstream's mixed-capacity rule: with spot and on-demand both possible, a type whose cheapest
// option is dearer than the cheapest on-demand option is not worth launching as spot.
void DropSpotDearerThanOnDemand(std::vector<LaunchOption>& options) {
  double cheapest_on_demand = std::numeric_limits<double>::infinity();
  std::map<const catalog::InstanceType*, double> cheapest_by_type;
  for (const LaunchOption& option : options) {
    const double price = option.offering->price;
    if (option.offering->capacity_type == CapacityType::kOnDemand) {
      cheapest_on_demand = std::min(cheapest_on_demand, price);
    }
    auto [it, inserted] = cheapest_by_type.try_emplace(option.type, price);
    if (!inserted) it->second = std::min(it->second, price);
  }
  std::erase_if(options, [&](const LaunchOption& option) {
    return cheapest_by_type[option.type] > cheapest_on_demand;
  });
}

CapacityType ChooseCapacityType(const core::Requirement& allowed,
                                const std::vector<LaunchOption>& options) {
  for (CapacityType type : {CapacityType::kReserved, CapacityType::kSpot}) {
    if (allowed.Has(catalog::ToString(type)) && HasCapacityType(options, type)) return type;
  }
  return CapacityType::kOnDemand;
}

}  // namespace

catalog::OfferingKey LaunchOption::Key() const {
  return {type->name(), offering->zone, offering->capacity_type};
}

LaunchPlan PlanLaunch(const catalog::Catalog& catalog, const core::Requirements& requirements,
                      const core::ResourceList& requests,
                      const catalog::UnavailableOfferings& unavailable, core::Time now) {
  const core::Requirement zone = requirements.Get(catalog::kLabelZone);
  const core::Requirement capacity_type = requirements.Get(catalog::kLabelCapacityType);
  LaunchPlan plan;
  std::vector<LaunchOption> usable;
  // Filter checks type requirements and that some allowed offering is available; the loop
  // below then keeps each allowed offering (O(types + offerings of the allowed types)).
  for (const catalog::InstanceType* type : catalog.Filter(requirements)) {
    if (!requests.Fits(type->allocatable())) continue;
    for (const catalog::Offering& offering : type->offerings()) {
      if (!offering.available || !zone.Has(offering.zone) ||
          !capacity_type.Has(catalog::ToString(offering.capacity_type))) {
        continue;
      }
      ++plan.compatible;
      LaunchOption option{type, &offering};
      if (unavailable.IsAvailable(option.Key(), now)) usable.push_back(option);
    }
  }
  if (usable.empty()) return plan;

  if (capacity_type.Has(catalog::ToString(CapacityType::kSpot)) &&
      capacity_type.Has(catalog::ToString(CapacityType::kOnDemand)) &&
      HasCapacityType(usable, CapacityType::kSpot) &&
      HasCapacityType(usable, CapacityType::kOnDemand)) {
    DropSpotDearerThanOnDemand(usable);
  }
  const CapacityType chosen = ChooseCapacityType(capacity_type, usable);
  plan.capacity_type = chosen;
  for (const LaunchOption& option : usable) {
    if (option.offering->capacity_type == chosen) plan.options.push_back(option);
  }
  std::sort(plan.options.begin(), plan.options.end(),
            [](const LaunchOption& a, const LaunchOption& b) {
              if (a.offering->price != b.offering->price) {
                return a.offering->price < b.offering->price;
              }
              if (a.type->name() != b.type->name()) return a.type->name() < b.type->name();
              return a.offering->zone < b.offering->zone;
            });
  return plan;
}

}  // namespace karpenter::cloud
