// The built-in AWS catalog: every EC2 instance type offered in a region, with upstream's
// capacity and label rules, offerings per zone and capacity type, and prices. The data
// (data/aws/, from tools/gen_aws_catalog.py) is compiled in; loading does no I/O.
//
// Prices: on-demand prices are the published list prices. The project ships the us-east-1
// table only; other regions use it too, as upstream's static price list does for regions it
// lacks (marked PriceSource::kOnDemandListFallback). Spot prices are not in the data: they are
// observations the caller supplies, or else modelled as a fixed fraction of the on-demand price
// (marked PriceSource::kSpotModel, never presented as measured).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/overhead.h"
#include "core/result.h"

namespace karpenter::catalog {

// One spot price seen for an instance type in a zone (e.g. from a file or the EC2 API).
struct SpotPriceObservation {
  std::string instance_type;
  std::string zone;
  double price = 0;  // USD per hour

  friend bool operator==(const SpotPriceObservation&, const SpotPriceObservation&) = default;
};

struct PricingSettings {
  // Spot price = this x on-demand price where no observation exists. 0.3 models the ~70% spot
  // discount AWS advertises as typical; 1.0 reproduces upstream before it has fetched spot
  // prices (spot priced as on-demand). Must be > 0.
  double spot_to_on_demand_ratio = 0.3;
  // Observed spot prices; they win over the model for their (type, zone).
  std::vector<SpotPriceObservation> spot_prices;

  friend bool operator==(const PricingSettings&, const PricingSettings&) = default;
};

struct AwsCatalogSettings {
  NodeSettings node;
  PricingSettings pricing;

  friend bool operator==(const AwsCatalogSettings&, const AwsCatalogSettings&) = default;
};

// The region that has its own on-demand price table and stands in for the others.
inline constexpr std::string_view kPriceFallbackRegion = "us-east-1";

// Regions the built-in data has offerings for, sorted.
std::vector<std::string> AwsRegions();

// The catalog of `region`: each instance type EC2 offers there that upstream would list
// (IsSupportedByKarpenter), with capacity and overhead per ComputeNodeResources, labels per
// AwsTypeLabels, and one offering per zone offering it and capacity type it supports
// (on-demand, spot; capacity blocks are left out, as upstream). An offering is available when
// it has a price. Fails for an unknown region (listing the known ones), a malformed eviction
// threshold or a spot ratio <= 0.
Result<Catalog> LoadAwsCatalog(std::string_view region, const AwsCatalogSettings& settings = {});

// The texts LoadAwsCatalog reads, for building a catalog from other data (tests, new dumps).
struct AwsCatalogData {
  std::string_view instance_types;    // instance-types.tsv
  std::string_view offerings;         // offerings-REGION.tsv
  std::string_view on_demand_prices;  // on-demand-prices-REGION.tsv
  // The prices are another region's (priced as PriceSource::kOnDemandListFallback).
  bool prices_from_other_region = false;
};

// LoadAwsCatalog on the given data. Errors name the file and line.
Result<Catalog> BuildAwsCatalog(std::string_view region, const AwsCatalogData& data,
                                const AwsCatalogSettings& settings = {});

// The built-in data for `region` (prices falling back to kPriceFallbackRegion), or an error
// naming the known regions.
Result<AwsCatalogData> BuiltInAwsCatalogData(std::string_view region);

}  // namespace karpenter::catalog
