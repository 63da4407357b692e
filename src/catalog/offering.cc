#include "catalog/offering.h"

namespace karpenter::catalog {

std::string_view ToString(CapacityType type) {
  switch (type) {
    case CapacityType::kOnDemand:
      return "on-demand";
    case CapacityType::kSpot:
      return "spot";
    case CapacityType::kReserved:
      return "reserved";
  }
  return "unknown";
}

std::optional<CapacityType> ParseCapacityType(std::string_view text) {
  if (text == "on-demand") return CapacityType::kOnDemand;
  if (text == "spot") return CapacityType::kSpot;
  if (text == "reserved") return CapacityType::kReserved;
  return std::nullopt;
}

std::string_view ToString(PriceSource source) {
  switch (source) {
    case PriceSource::kNone:
      return "none";
    case PriceSource::kOnDemandList:
      return "on-demand-list";
    case PriceSource::kOnDemandListFallback:
      return "on-demand-list-us-east-1";
    case PriceSource::kSpotModel:
      return "spot-model";
    case PriceSource::kSpotObserved:
      return "spot-observed";
    case PriceSource::kCustom:
      return "custom";
  }
  return "unknown";
}

}  // namespace karpenter::catalog
