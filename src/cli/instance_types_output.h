// What `karpenter instance-types` prints: the selected instance types, cheapest first, as a
// table for people or as JSON for programs (the JSON shape is documented in docs/catalog.md).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "api/json.h"
#include "catalog/catalog.h"
#include "catalog/instance_type.h"
#include "catalog/offering.h"
#include "core/requirements.h"

namespace karpenter::cli {

// One selected instance type and its cheapest available offering in a zone and capacity type
// the requirements allow (what a NodePool with those requirements would launch it on).
struct ListedType {
  const catalog::InstanceType* type = nullptr;
  const catalog::Offering* cheapest = nullptr;
};

// The types `requirements` select, exactly as Catalog::Filter selects a NodePool's, ordered by
// the price of their cheapest allowed offering, then by name. Pointers into `catalog`.
std::vector<ListedType> ListInstanceTypes(const catalog::Catalog& catalog,
                                          const core::Requirements& requirements);

// What the table's count line and footnotes say about where the listing came from.
struct ListingContext {
  std::string source;  // "us-east-1", "the custom catalog"
  size_t catalog_size = 0;
  double spot_to_on_demand_ratio = 0.3;
  // The region has no price table of its own: on-demand prices are us-east-1's.
  bool prices_from_us_east_1 = false;
};

// A table with columns NAME, CPU, MEMORY, PODS, ALLOCATABLE CPU, ALLOCATABLE MEMORY and
// CHEAPEST ("$price zone capacity-type"), then a count line. A modelled spot price is marked
// `*` and a price borrowed from us-east-1's table `+`, each with a footnote saying so.
void WriteInstanceTypesTable(const std::vector<ListedType>& listed, const ListingContext& context,
                             std::ostream& out);

// The JSON array documented in docs/catalog.md: per type its name, capacity, allocatable,
// overhead, single-valued labels, offerings and cheapest allowed offering. Quantities are
// Kubernetes quantity strings; prices USD per hour, rounded to 9 decimal places.
api::Json InstanceTypesJson(const std::vector<ListedType>& listed);

}  // namespace karpenter::cli
