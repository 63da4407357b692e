#include "cli/instance_types_output.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <ostream>
#include <tuple>

#include "catalog/labels.h"

namespace karpenter::cli {
namespace {

using catalog::Offering;

// The cheapest available offering whose zone and capacity type are allowed, ties broken by
// zone and capacity type (InstanceType::CheapestAvailableOffering's order).
const Offering* CheapestAllowed(const catalog::InstanceType& type, const core::Requirement& zone,
                                const core::Requirement& capacity_type) {
  const Offering* cheapest = nullptr;
  for (const Offering& offering : type.offerings()) {
    if (!offering.available || !zone.Has(offering.zone) ||
        !capacity_type.Has(catalog::ToString(offering.capacity_type))) {
      continue;
    }
    if (cheapest == nullptr ||
        std::tie(offering.price, offering.zone, offering.capacity_type) <
            std::tie(cheapest->price, cheapest->zone, cheapest->capacity_type)) {
      cheapest = &offering;
    }
  }
  return cheapest;
}

// "$0.0960": at least four decimals, up to six when they matter (modelled spot prices of the
// smallest types are fractions of a cent).
std::string Dollars(double price) {
  std::string text = fmt::format("{:.6f}", price);
  size_t keep = text.find('.') + 5;
  while (text.size() > keep && text.back() == '0') text.pop_back();
  return "$" + text;
}

char Marker(const Offering& offering) {
  if (catalog::IsModelled(offering.price_source)) return '*';
  if (offering.price_source == catalog::PriceSource::kOnDemandListFallback) return '+';
  return ' ';
}

std::string Cheapest(const Offering* offering) {
  if (offering == nullptr) return "-";
  std::string marker(1, Marker(*offering));
  if (marker == " ") marker.clear();
  return Dollars(offering->price) + marker + " " + offering->zone + " " +
         std::string(catalog::ToString(offering->capacity_type));
}

// A quantity as Kubernetes prints it; "-" when the list lacks the resource.
std::string Get(const core::ResourceList& list, std::string_view name) {
  const core::Quantity* quantity = list.Find(name);
  return quantity == nullptr ? "-" : quantity->ToString();
}

// Rounds to nano-dollars so JSON shows 0.0288 rather than 0.028799999999999996.
double RoundedPrice(double price) { return std::round(price * 1e9) / 1e9; }

api::Json ResourcesJson(const core::ResourceList& list) {
  api::Json json = api::Json::object();
  for (const auto& [name, quantity] : list) json[name] = quantity.ToString();
  return json;
}

api::Json OfferingJson(const Offering& offering) {
  return api::Json{{"zone", offering.zone},
                   {"capacityType", catalog::ToString(offering.capacity_type)},
                   {"price", RoundedPrice(offering.price)},
                   {"priceSource", catalog::ToString(offering.price_source)},
                   {"available", offering.available}};
}

// Every label the type has exactly one value for, in key order.
api::Json LabelsJson(const catalog::InstanceType& type) {
  api::Json labels = api::Json::object();
  for (const auto& [key, requirement] : type.Requirements()) {
    if (!requirement.complement() && requirement.Len() == 1) {
      labels[key] = requirement.Values().front();
    }
  }
  return labels;
}

}  // namespace

std::vector<ListedType> ListInstanceTypes(const catalog::Catalog& catalog,
                                          const core::Requirements& requirements) {
  const core::Requirement zone = requirements.Get(catalog::kLabelZone);
  const core::Requirement capacity_type = requirements.Get(catalog::kLabelCapacityType);
  std::vector<ListedType> listed;
  for (const catalog::InstanceType* type : catalog.Filter(requirements)) {
    listed.push_back({type, CheapestAllowed(*type, zone, capacity_type)});
  }
  // Filter only keeps types with an allowed available offering; sort any without one last.
  std::stable_sort(listed.begin(), listed.end(), [](const ListedType& a, const ListedType& b) {
    if ((a.cheapest == nullptr) != (b.cheapest == nullptr)) return b.cheapest == nullptr;
    if (a.cheapest != nullptr && a.cheapest->price != b.cheapest->price) {
      return a.cheapest->price < b.cheapest->price;
    }
    return a.type->name() < b.type->name();
  });
  return listed;
}

void WriteInstanceTypesTable(const std::vector<ListedType>& listed, const ListingContext& context,
                             std::ostream& out) {
  const std::string of = fmt::format("(of {} in {})", context.catalog_size, context.source);
  if (listed.empty()) {
    out << "no instance type matches " << of << '\n';
    return;
  }
  constexpr size_t kColumns = 7;
  std::vector<std::array<std::string, kColumns>> rows;
  rows.push_back(
      {"NAME", "CPU", "MEMORY", "PODS", "ALLOCATABLE CPU", "ALLOCATABLE MEMORY", "CHEAPEST"});
  bool modelled = false;
  for (const ListedType& entry : listed) {
    const catalog::InstanceType& type = *entry.type;
    rows.push_back({type.name(), Get(type.capacity(), core::kCPU),
                    Get(type.capacity(), core::kMemory), Get(type.capacity(), core::kPods),
                    Get(type.allocatable(), core::kCPU), Get(type.allocatable(), core::kMemory),
                    Cheapest(entry.cheapest)});
    modelled |= entry.cheapest != nullptr && Marker(*entry.cheapest) == '*';
  }
  std::array<size_t, kColumns> widths{};
  for (const auto& row : rows) {
    for (size_t i = 0; i < kColumns; ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i + 1 < kColumns; ++i) line += fmt::format("{:<{}}   ", row[i], widths[i]);
    line += row[kColumns - 1];
    out << line << '\n';
  }
  out << listed.size() << " instance type" << (listed.size() == 1 ? "" : "s") << " " << of
      << ", cheapest first\n";
  if (modelled) {
    out << fmt::format("* modelled spot price: {} x on-demand; no spot price data\n",
                       context.spot_to_on_demand_ratio);
  }
  if (context.prices_from_us_east_1) {
    out << fmt::format(
        "+ us-east-1 on-demand list price: no price table for {} (modelled spot prices are "
        "derived from it too)\n",
        context.source);
  }
}

api::Json InstanceTypesJson(const std::vector<ListedType>& listed) {
  api::Json array = api::Json::array();
  for (const ListedType& entry : listed) {
    const catalog::InstanceType& type = *entry.type;
    api::Json offerings = api::Json::array();
    for (const Offering& offering : type.offerings()) offerings.push_back(OfferingJson(offering));
    array.push_back(api::Json{
        {"name", type.name()},
        {"capacity", ResourcesJson(type.capacity())},
        {"allocatable", ResourcesJson(type.allocatable())},
        {"overhead",
         {{"kubeReserved", ResourcesJson(type.overhead().kube_reserved)},
          {"systemReserved", ResourcesJson(type.overhead().system_reserved)},
          {"evictionThreshold", ResourcesJson(type.overhead().eviction_threshold)}}},
        {"labels", LabelsJson(type)},
        {"offerings", std::move(offerings)},
        {"cheapestOffering", entry.cheapest ? OfferingJson(*entry.cheapest) : api::Json()},
    });
  }
  return array;
}

}  // namespace karpenter::cli
