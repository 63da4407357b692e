#include "catalog/custom_catalog.h"

#include <cmath>
#include <set>
#include <string>
#include <utility>

#include "api/model/instance_type.h"
#include "catalog/labels.h"
#include "core/requirements.h"

namespace karpenter::catalog {
namespace {

std::string Describe(const api::InstanceType& document) {
  return "InstanceType/" + document.metadata.name;
}

Result<Offering> OfferingFromDocument(const api::InstanceType& document, size_t index) {
  const api::InstanceTypeOffering& wire = document.spec.offerings[index];
  const std::string field = "spec.offerings[" + std::to_string(index) + "]";
  std::optional<CapacityType> capacity_type = ParseCapacityType(wire.capacity_type);
  if (!capacity_type) {
    return Fail(Describe(document) + ": " + field + ".capacityType: Unsupported value: \"" +
                wire.capacity_type + "\": supported values: \"on-demand\", \"reserved\", \"spot\"");
  }
  if (!std::isfinite(wire.price) || wire.price < 0) {
    return Fail(Describe(document) + ": " + field + ".price: must be a finite number >= 0, got " +
                std::to_string(wire.price));
  }
  return Offering{.zone = wire.zone,
                  .capacity_type = *capacity_type,
                  .price = wire.price,
                  .price_source = PriceSource::kCustom,
                  .available = wire.available};
}

// Adds "key In values" when the document's requirements leave `key` out.
void Imply(core::Requirements& requirements, std::string_view key,
           std::vector<std::string> values) {
  if (requirements.Has(key) || values.empty()) return;
  requirements.Add(core::Requirement::In(std::string(key), std::move(values)));
}

}  // namespace

Result<InstanceType> InstanceTypeFromDocument(const api::InstanceType& document) {
  if (document.metadata.name.empty()) {
    return Fail("InstanceType: metadata.name: Required value");
  }
  auto requirements = core::Requirements::FromNodeSelectorRequirements(document.spec.requirements);
  if (!requirements) {
    return Fail(Describe(document) + ": spec.requirements: " + requirements.error().message);
  }
  std::vector<Offering> offerings;
  offerings.reserve(document.spec.offerings.size());
  std::vector<std::string> zones, capacity_types;
  for (size_t i = 0; i < document.spec.offerings.size(); ++i) {
    auto offering = OfferingFromDocument(document, i);
    if (!offering) return std::unexpected(offering.error());
    zones.push_back(offering->zone);
    capacity_types.emplace_back(ToString(offering->capacity_type));
    offerings.push_back(std::move(*offering));
  }
  Imply(*requirements, kLabelInstanceType, {document.metadata.name});
  Imply(*requirements, kLabelZone, std::move(zones));  // Requirement::In deduplicates
  Imply(*requirements, kLabelCapacityType, std::move(capacity_types));

  const api::InstanceTypeOverhead& overhead = document.spec.overhead;
  return InstanceType::WithRequirements(document.metadata.name, document.spec.capacity,
                                        Overhead{.kube_reserved = overhead.kube_reserved,
                                                 .system_reserved = overhead.system_reserved,
                                                 .eviction_threshold = overhead.eviction_threshold},
                                        std::move(*requirements), std::move(offerings));
}

Result<Catalog> CatalogFromDocuments(const std::vector<api::InstanceType>& documents) {
  std::vector<InstanceType> types;
  types.reserve(documents.size());
  std::set<std::string, std::less<>> names;
  for (const api::InstanceType& document : documents) {
    if (!document.metadata.name.empty() && !names.insert(document.metadata.name).second) {
      return Fail(Describe(document) + ": metadata.name: Duplicate value: \"" +
                  document.metadata.name + "\" is defined by more than one document");
    }
    auto type = InstanceTypeFromDocument(document);
    if (!type) return std::unexpected(type.error());
    types.push_back(std::move(*type));
  }
  return Catalog::Create(std::move(types));
}

}  // namespace karpenter::catalog
