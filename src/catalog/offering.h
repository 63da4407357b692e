// Offerings: where (zone) and how (capacity type) an instance type can be bought, at what price.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace karpenter::catalog {

// karpenter.sh/capacity-type values.
enum class CapacityType : uint8_t { kOnDemand, kSpot, kReserved };

// "on-demand", "spot" or "reserved".
std::string_view ToString(CapacityType type);
// The inverse of ToString; nullopt for anything else (case-sensitive, as label values are).
std::optional<CapacityType> ParseCapacityType(std::string_view text);

// Where an offering's price comes from. A simulation's costs are only as good as its prices, so
// every price says whether it was published, observed or made up.
enum class PriceSource : uint8_t {
  kNone,                  // no price is known; the offering is not available (as upstream)
  kOnDemandList,          // the region's published on-demand list price
  kOnDemandListFallback,  // us-east-1's list price, for a region without its own table (as
                          // upstream's static prices)
  kSpotModel,             // modelled: a fixed fraction of the on-demand price (PricingSettings)
  kSpotObserved,          // a spot price the user supplied for this type and zone
  kCustom,                // given by a custom catalog document
};

// "none", "on-demand-list", "on-demand-list-us-east-1", "spot-model", "spot-observed", "custom".
std::string_view ToString(PriceSource source);

// True for prices that were not measured or published (kSpotModel).
inline bool IsModelled(PriceSource source) { return source == PriceSource::kSpotModel; }

struct Offering {
  std::string zone;  // topology.kubernetes.io/zone
  CapacityType capacity_type = CapacityType::kOnDemand;
  double price = 0;  // USD per hour
  PriceSource price_source = PriceSource::kNone;
  // Static availability: the type is offered in the zone and has a price. Capacity errors seen
  // at run time are tracked separately (UnavailableOfferings), keyed by time.
  bool available = false;

  friend bool operator==(const Offering&, const Offering&) = default;
};

// Identifies an offering across catalogs: the key of the unavailable-offerings cache.
struct OfferingKey {
  std::string instance_type;
  std::string zone;
  CapacityType capacity_type = CapacityType::kOnDemand;

  friend bool operator==(const OfferingKey&, const OfferingKey&) = default;
  friend auto operator<=>(const OfferingKey&, const OfferingKey&) = default;
};

}  // namespace karpenter::catalog
