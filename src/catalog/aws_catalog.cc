#include "catalog/aws_catalog.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <tuple>
#include <utility>

#include "catalog/aws_labels.h"
#include "catalog/internal/embedded_aws_data.h"
#include "catalog/internal/tsv.h"

namespace karpenter::catalog {
namespace {

constexpr std::string_view kOfferingsPrefix = "offerings-";
constexpr std::string_view kPricesPrefix = "on-demand-prices-";
constexpr std::string_view kTsvSuffix = ".tsv";

// name -> value, sorted by name; views point into the data text.
template <typename T>
using SortedTable = std::vector<std::pair<std::string_view, T>>;

template <typename T>
const T* Lookup(const SortedTable<T>& table, std::string_view name) {
  auto it = std::lower_bound(table.begin(), table.end(), name,
                             [](const auto& entry, std::string_view n) { return entry.first < n; });
  return it != table.end() && it->first == name ? &it->second : nullptr;
}

// Rows of "name<TAB>value" after the "name<TAB>..." header; `parse` turns a value into T.
template <typename T, typename Parse>
Result<SortedTable<T>> ParseTable(std::string_view text, std::string_view file, Parse parse) {
  SortedTable<T> table;
  internal::LineReader reader(text);
  std::string_view line;
  while (reader.Next(line)) {
    if (line.starts_with("name\t")) continue;
    size_t tab = line.find('\t');
    auto value = parse(tab == std::string_view::npos ? std::string_view() : line.substr(tab + 1));
    if (tab == std::string_view::npos || !value) {
      return Fail(std::string(file) + " line " + std::to_string(reader.line_number()) +
                  ": expected \"name<TAB>value\", got \"" + std::string(line) + "\"");
    }
    table.emplace_back(line.substr(0, tab), *value);
  }
  std::sort(table.begin(), table.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return table;
}

std::optional<std::string_view> ZoneLetters(std::string_view value) {
  if (value.empty()) return std::nullopt;
  for (char c : value) {
    if (c < 'a' || c > 'z') return std::nullopt;
  }
  return value;
}

std::optional<double> Price(std::string_view value) {
  auto price = internal::ParseDouble(value, "price");
  if (!price || !(*price > 0) || !std::isfinite(*price)) return std::nullopt;
  return *price;
}

std::optional<std::string_view> EmbeddedFile(std::string_view name) {
  for (const auto& [file, content] : internal::EmbeddedFiles()) {
    if (file == name) return content;
  }
  return std::nullopt;
}

// Everything one catalog build consults, parsed once.
struct PriceBook {
  SortedTable<double> on_demand;
  PriceSource on_demand_source = PriceSource::kOnDemandList;
  std::vector<SpotPriceObservation> spot;  // sorted by (type, zone)
  double spot_ratio = 0;

  std::optional<double> OnDemand(std::string_view type) const {
    const double* price = Lookup(on_demand, type);
    return price ? std::optional<double>(*price) : std::nullopt;
  }

  const SpotPriceObservation* Spot(std::string_view type, std::string_view zone) const {
    auto it = std::lower_bound(spot.begin(), spot.end(), std::pair(type, zone),
                               [](const SpotPriceObservation& o, const auto& key) {
                                 return std::pair<std::string_view, std::string_view>(
                                            o.instance_type, o.zone) < key;
                               });
    return it != spot.end() && it->instance_type == type && it->zone == zone ? &*it : nullptr;
  }
};

// `on_demand` is the type's on-demand list price, looked up once per type by the caller.
Offering MakeOffering(std::string zone, CapacityType capacity_type, std::string_view type,
                      std::optional<double> on_demand, const PriceBook& prices) {
  Offering offering{.zone = std::move(zone), .capacity_type = capacity_type};
  if (capacity_type == CapacityType::kOnDemand && on_demand) {
    offering.price = *on_demand;
    offering.price_source = prices.on_demand_source;
  } else if (capacity_type == CapacityType::kSpot) {
    if (const SpotPriceObservation* observed = prices.Spot(type, offering.zone)) {
      offering.price = observed->price;
      offering.price_source = PriceSource::kSpotObserved;
    } else if (on_demand) {
      offering.price = *on_demand * prices.spot_ratio;
      offering.price_source = PriceSource::kSpotModel;
    }
  }
  // As upstream, an offering without a price is never chosen.
  offering.available = offering.price_source != PriceSource::kNone;
  return offering;
}

// One offering per zone letter and supported capacity type, zone by zone.
std::vector<Offering> MakeOfferings(const AwsInstanceTypeInfo& info, std::string_view region,
                                    std::string_view zone_letters, const PriceBook& prices) {
  std::vector<CapacityType> capacity_types;
  for (CapacityType type : {CapacityType::kOnDemand, CapacityType::kSpot}) {
    if (std::find(info.usage_classes.begin(), info.usage_classes.end(), ToString(type)) !=
        info.usage_classes.end()) {
      capacity_types.push_back(type);
    }
  }
  const std::optional<double> on_demand = prices.OnDemand(info.name);
  std::vector<Offering> offerings;
  offerings.reserve(zone_letters.size() * capacity_types.size());
  for (char letter : zone_letters) {
    std::string zone = std::string(region) + letter;
    for (CapacityType type : capacity_types) {
      offerings.push_back(MakeOffering(zone, type, info.name, on_demand, prices));
    }
  }
  return offerings;
}

Result<PriceBook> MakePriceBook(const AwsCatalogData& data, const PricingSettings& pricing) {
  if (!(pricing.spot_to_on_demand_ratio > 0) || !std::isfinite(pricing.spot_to_on_demand_ratio)) {
    return Fail("spot_to_on_demand_ratio must be a positive number, got " +
                std::to_string(pricing.spot_to_on_demand_ratio));
  }
  auto on_demand = ParseTable<double>(data.on_demand_prices, "on-demand prices", Price);
  if (!on_demand) return std::unexpected(on_demand.error());
  PriceBook book;
  book.on_demand = std::move(*on_demand);
  book.on_demand_source = data.prices_from_other_region ? PriceSource::kOnDemandListFallback
                                                        : PriceSource::kOnDemandList;
  book.spot = pricing.spot_prices;
  std::stable_sort(book.spot.begin(), book.spot.end(),
                   [](const SpotPriceObservation& a, const SpotPriceObservation& b) {
                     return std::tie(a.instance_type, a.zone) < std::tie(b.instance_type, b.zone);
                   });
  book.spot_ratio = pricing.spot_to_on_demand_ratio;
  return book;
}

}  // namespace

std::vector<std::string> AwsRegions() {
  std::vector<std::string> regions;
  for (const auto& [file, content] : internal::EmbeddedFiles()) {
    std::string_view name = file;
    if (name.starts_with(kOfferingsPrefix) && name.ends_with(kTsvSuffix)) {
      name.remove_prefix(kOfferingsPrefix.size());
      name.remove_suffix(kTsvSuffix.size());
      regions.emplace_back(name);
    }
  }
  std::sort(regions.begin(), regions.end());
  return regions;
}

Result<AwsCatalogData> BuiltInAwsCatalogData(std::string_view region) {
  std::string prefix(kOfferingsPrefix), prices(kPricesPrefix), suffix(kTsvSuffix);
  std::optional<std::string_view> offerings = EmbeddedFile(prefix + std::string(region) + suffix);
  if (!offerings) {
    std::string known;
    for (const std::string& name : AwsRegions()) known += (known.empty() ? "" : ", ") + name;
    return Fail("no instance-type data for region \"" + std::string(region) +
                "\"; known regions: " + known);
  }
  AwsCatalogData data;
  data.instance_types = EmbeddedFile("instance-types.tsv").value_or("");
  data.offerings = *offerings;
  std::optional<std::string_view> own = EmbeddedFile(prices + std::string(region) + suffix);
  data.on_demand_prices =
      own ? *own : EmbeddedFile(prices + std::string(kPriceFallbackRegion) + suffix).value_or("");
  data.prices_from_other_region = !own.has_value();
  return data;
}

Result<Catalog> BuildAwsCatalog(std::string_view region, const AwsCatalogData& data,
                                const AwsCatalogSettings& settings) {
  auto zones = ParseTable<std::string_view>(data.offerings, "offerings", ZoneLetters);
  if (!zones) return std::unexpected(zones.error());
  auto prices = MakePriceBook(data, settings.pricing);
  if (!prices) return std::unexpected(prices.error());
  auto infos = ParseAwsInstanceTypes(
      data.instance_types, [&](std::string_view name) { return Lookup(*zones, name) != nullptr; });
  if (!infos) return std::unexpected(infos.error());

  std::vector<InstanceType> types;
  types.reserve(infos->size());
  for (const AwsInstanceTypeInfo& info : *infos) {
    if (!IsSupportedByKarpenter(info)) continue;
    auto resources = ComputeNodeResources(info, settings.node);
    if (!resources) return std::unexpected(resources.error());
    types.push_back(InstanceType::WithWellKnownLabels(
        info.name, std::move(resources->capacity), std::move(resources->overhead),
        AwsTypeLabels(info, region),
        MakeOfferings(info, region, *Lookup(*zones, info.name), *prices)));
  }
  return Catalog::Create(std::move(types), std::string(region));
}

Result<Catalog> LoadAwsCatalog(std::string_view region, const AwsCatalogSettings& settings) {
  auto data = BuiltInAwsCatalogData(region);
  if (!data) return std::unexpected(data.error());
  return BuildAwsCatalog(region, *data, settings);
}

}  // namespace karpenter::catalog
