// LaunchPlan: which offerings a launch for one NodeClaim may use, in the order the simulated
// cloud tries them. Mirrors what upstream's AWS provider hands to one CreateFleet call: the
// instance types the NodeClaim allows and fits in, their allowed and available offerings, one
// capacity type, and (as the fleet's lowest-price strategy) the cheapest first.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/instance_type.h"
#include "catalog/offering.h"
#include "catalog/unavailable_offerings.h"
#include "core/clock.h"
#include "core/requirements.h"
#include "core/resource_list.h"

namespace karpenter::cloud {

// One offering a launch may use. Pointers into the catalog the plan was made from.
struct LaunchOption {
  const catalog::InstanceType* type = nullptr;
  const catalog::Offering* offering = nullptr;

  catalog::OfferingKey Key() const;
};

struct LaunchPlan {
  // Offerings the NodeClaim allows that are statically available, on types whose requirements
  // intersect the NodeClaim's and whose allocatable fits its requests, before the
  // unavailable-offerings cache is consulted. Zero means the NodeClaim can never launch from
  // this catalog as written.
  size_t compatible = 0;
  // The capacity type chosen (nullopt when `options` is empty).
  std::optional<catalog::CapacityType> capacity_type;
  // The offerings of that capacity type still available in the cache, cheapest first (then
  // by type name, then zone). Empty when every compatible offering is marked unavailable.
  std::vector<LaunchOption> options;
};

// Plans a launch. The capacity type is chosen as upstream's AWS provider does: reserved when
// allowed and some option is reserved, else spot when allowed and some option is spot, else
// on-demand; one launch never mixes capacity types (so spot capacity errors on every option
// fail the launch rather than falling back to on-demand: the next launch, seeing the spot
// offerings marked unavailable, picks on-demand). When both spot and on-demand are allowed and
// available, types whose cheapest option costs more than the cheapest on-demand option are
// dropped first, as upstream avoids a larger spot type that costs more than a fitting
// on-demand one (here computed over the offerings the NodeClaim allows). Not modelled:
// minValues, upstream's deprioritising of metal and accelerator types, and its cap of 60 types.
LaunchPlan PlanLaunch(const catalog::Catalog& catalog, const core::Requirements& requirements,
                      const core::ResourceList& requests,
                      const catalog::UnavailableOfferings& unavailable, core::Time now);

}  // namespace karpenter::cloud
