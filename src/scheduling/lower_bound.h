// A lower bound on the cost of a plan: the LP relaxation of "launch instances covering these
// requests at the lowest $/hour". Fractional instances x_t >= 0 of each allowed type t (price
// p_t, allocatable a_t) with sum_t x_t * a_t >= the total requests in cpu, memory and pods;
// minimise sum_t x_t * p_t. No real plan can cost less, because any plan launching n_t
// instances of each type is a feasible (integral) point of the same program. Users compare a
// plan's cost against this number to see how much bin-packing and constraints cost them.
//
// Solved exactly (up to floating point): with m covering rows an optimal basic solution uses at
// most m types, found by a dense dual simplex started from the all-surplus basis, which is dual
// feasible because prices are never negative. Pure: no I/O.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "catalog/instance_type.h"
#include "core/requirement.h"
#include "core/resource_list.h"

namespace karpenter::scheduling {

// The resources the bound covers, in this order: cpu (cores), memory (bytes), pods.
inline constexpr std::size_t kLowerBoundResources = 3;
using ResourceVector = std::array<double, kLowerBoundResources>;

// One candidate type of the program: its hourly price and what one instance supplies.
struct CoveringColumn {
  double price = 0;        // >= 0
  ResourceVector supply{};  // >= 0 each; a zero entry is fine (the type adds nothing there)
};

// One type of an optimal mix and how many (fractional) instances of it are bought.
struct CoveringTerm {
  std::size_t column = 0;  // index into the columns given
  double count = 0;        // > 0
};

struct CoveringSolution {
  // False when some resource is demanded but no column supplies it: there is no bound.
  bool feasible = false;
  double cost = 0;  // the optimum, when feasible
  // The optimal basic solution's types with a positive count, at most kLowerBoundResources of
  // them, in column order.
  std::vector<CoveringTerm> mix;
};

// min sum_t x_t * price_t subject to sum_t x_t * supply_t >= demand (per resource), x >= 0.
// Demands <= 0 are already met. Columns with a negative or non-finite price or supply are
// ignored. Deterministic: ties are broken by the lowest column index (Bland's rule, which also
// rules out cycling on degenerate inputs).
CoveringSolution SolveCoveringLp(std::span<const CoveringColumn> columns,
                                 const ResourceVector& demand);

// cpu, memory and pods of `resources` as a ResourceVector (cores, bytes, count).
ResourceVector ToResourceVector(const core::ResourceList& resources);

struct CostLowerBoundTerm {
  const catalog::InstanceType* instance_type = nullptr;
  double count = 0;
};

struct CostLowerBound {
  bool feasible = false;
  double cost_per_hour = 0;  // when feasible
  std::vector<CostLowerBoundTerm> mix;
};

// The bound for covering `requests` (cpu, memory, pods; other resources are not covered) with
// `types`, each priced at its cheapest available offering and supplying its allocatable. Types
// without an available offering cannot be bought and are left out; null pointers and repeats of
// the same pointer are ignored. Zero requests give a feasible bound of 0.
CostLowerBound ComputeCostLowerBound(std::span<const catalog::InstanceType* const> types,
                                     const core::ResourceList& requests);

// The same, pricing each type at its cheapest available offering in a zone and capacity type
// that `zone` and `capacity_type` allow (a NodePool's requirements for
// topology.kubernetes.io/zone and karpenter.sh/capacity-type): a tighter bound for launches
// that could only use those offerings. Types without such an offering are left out.
CostLowerBound ComputeCostLowerBound(std::span<const catalog::InstanceType* const> types,
                                     const core::ResourceList& requests,
                                     const core::Requirement& zone,
                                     const core::Requirement& capacity_type);

}  // namespace karpenter::scheduling
