// Builders for cloud tests: a small custom catalog with chosen prices and NodeClaims written
// directly in C++.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api/model/node_claim.h"
#include "catalog/catalog.h"
#include "catalog/labels.h"
#include "core/quantity.h"

namespace karpenter::cloud::test_util {

inline catalog::Offering Offer(std::string zone, catalog::CapacityType type, double price,
                               bool available = true) {
  return {std::move(zone), type, price, catalog::PriceSource::kCustom, available};
}

// Spot and on-demand offerings in each zone at the same prices.
inline std::vector<catalog::Offering> Offers(const std::vector<std::string>& zones,
                                             double on_demand, double spot) {
  std::vector<catalog::Offering> offerings;
  for (const std::string& zone : zones) {
    offerings.push_back(Offer(zone, catalog::CapacityType::kSpot, spot));
    offerings.push_back(Offer(zone, catalog::CapacityType::kOnDemand, on_demand));
  }
  return offerings;
}

// A type with `cpu` cores and `memory_gi` GiB, 1 core of kube-reserved overhead (so allocatable
// cpu is cpu - 1), arch amd64, and the zones and capacity types of its offerings.
inline catalog::InstanceType MakeType(const std::string& name, int cpu, int memory_gi,
                                      std::vector<catalog::Offering> offerings) {
  core::ResourceList capacity = {
      {"cpu", core::Quantity::FromInt(cpu)},
      {"memory", core::Quantity::FromInt(int64_t{memory_gi} << 30, core::Format::kBinarySI)},
      {"pods", core::Quantity::FromInt(20)}};
  catalog::Overhead overhead;
  overhead.kube_reserved = {{"cpu", core::Quantity::FromInt(1)}};
  std::vector<std::string> zones;
  std::vector<std::string> capacity_types;
  for (const catalog::Offering& offering : offerings) {
    zones.push_back(offering.zone);
    capacity_types.emplace_back(catalog::ToString(offering.capacity_type));
  }
  core::Requirements requirements;
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelInstanceType), {name}));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelArch), {"amd64"}));
  requirements.Add(
      core::Requirement::In(std::string(catalog::kLabelInstanceCpu), {std::to_string(cpu)}));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelZone), zones));
  requirements.Add(core::Requirement::In(std::string(catalog::kLabelCapacityType), capacity_types));
  return catalog::InstanceType::WithRequirements(name, capacity, overhead, requirements,
                                                 std::move(offerings));
}

inline std::shared_ptr<const catalog::Catalog> MakeCatalog(
    std::vector<catalog::InstanceType> types) {
  auto catalog = catalog::Catalog::Create(std::move(types));
  EXPECT_TRUE(catalog.has_value());
  return std::make_shared<const catalog::Catalog>(catalog ? std::move(*catalog)
                                                          : catalog::Catalog());
}

// small (2 cpu, $0.10 on-demand, $0.04 spot), medium (4 cpu, $0.20 / $0.08), large (8 cpu,
// $0.40 / $0.16), each in zone-a and zone-b.
inline std::shared_ptr<const catalog::Catalog> DefaultCatalog() {
  const std::vector<std::string> zones = {"zone-a", "zone-b"};
  return MakeCatalog({MakeType("small", 2, 4, Offers(zones, 0.10, 0.04)),
                      MakeType("medium", 4, 8, Offers(zones, 0.20, 0.08)),
                      MakeType("large", 8, 16, Offers(zones, 0.40, 0.16))});
}

inline core::NodeSelectorRequirement Req(std::string key, core::Operator op,
                                         std::vector<std::string> values) {
  return {std::move(key), op, std::move(values), std::nullopt};
}

// A NodeClaim of NodePool "default" and NodeClass "default" with `requirements` and a cpu
// request of `cpu` cores (none when 0).
inline api::NodeClaim MakeClaim(const std::string& name,
                                std::vector<core::NodeSelectorRequirement> requirements = {},
                                int cpu = 0) {
  api::NodeClaim claim;
  claim.metadata.name = name;
  claim.metadata.labels["karpenter.sh/nodepool"] = "default";
  claim.spec.requirements = std::move(requirements);
  claim.spec.node_class_ref = {"karpenter.k8s.aws", "EC2NodeClass", "default"};
  if (cpu > 0) claim.spec.resource_requests.Set("cpu", core::Quantity::FromInt(cpu));
  return claim;
}

}  // namespace karpenter::cloud::test_util
