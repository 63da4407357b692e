#include "catalog/instance_type.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace karpenter::catalog {

core::ResourceList Overhead::Total() const {
  core::ResourceList total = kube_reserved;
  total.Add(system_reserved);
  total.Add(eviction_threshold);
  return total;
}

InstanceType InstanceType::WithWellKnownLabels(std::string name, core::ResourceList capacity,
                                               Overhead overhead, std::vector<TypeLabel> labels,
                                               std::vector<Offering> offerings) {
  InstanceType type;
  type.name_ = std::move(name);
  type.capacity_ = std::move(capacity);
  type.overhead_ = std::move(overhead);
  type.labels_ = std::move(labels);
  // A stable insertion sort: a type has ~20 labels, nearly in key order already, and unlike
  // std::stable_sort this needs no temporary buffer (catalog loading builds ~5,000 types).
  std::vector<TypeLabel>& sorted = type.labels_;
  for (size_t i = 1; i < sorted.size(); ++i) {
    for (size_t j = i; j > 0 && sorted[j].key < sorted[j - 1].key; --j) {
      std::swap(sorted[j], sorted[j - 1]);
    }
  }
  type.offerings_ = std::move(offerings);
  type.well_known_ = true;
  type.ComputeAllocatable();
  return type;
}

InstanceType InstanceType::WithRequirements(std::string name, core::ResourceList capacity,
                                            Overhead overhead, core::Requirements requirements,
                                            std::vector<Offering> offerings) {
  InstanceType type;
  type.name_ = std::move(name);
  type.capacity_ = std::move(capacity);
  type.overhead_ = std::move(overhead);
  type.requirements_ = std::move(requirements);
  type.offerings_ = std::move(offerings);
  type.ComputeAllocatable();
  return type;
}

void InstanceType::ComputeAllocatable() {
  allocatable_ = capacity_;
  allocatable_.Subtract(overhead_.Total());
}

std::vector<std::string> InstanceType::OfferingZones() const {
  std::vector<std::string> zones;
  for (const Offering& offering : offerings_) zones.push_back(offering.zone);
  return zones;  // Requirement::In deduplicates
}

std::vector<std::string> InstanceType::OfferingCapacityTypes() const {
  std::vector<std::string> types;
  for (const Offering& offering : offerings_) {
    types.emplace_back(ToString(offering.capacity_type));
  }
  return types;
}

std::optional<core::Requirement> InstanceType::RequirementFor(std::string_view key) const {
  if (!well_known_) {
    if (!requirements_.Has(key)) return std::nullopt;
    return requirements_.Get(key);
  }
  if (key == kLabelZone) return core::Requirement::In(std::string(key), OfferingZones());
  if (key == kLabelCapacityType) {
    return core::Requirement::In(std::string(key), OfferingCapacityTypes());
  }
  std::optional<LabelKey> label_key = FindLabelKey(key);
  if (!label_key) return std::nullopt;
  auto it = std::lower_bound(labels_.begin(), labels_.end(), *label_key,
                             [](const TypeLabel& label, LabelKey k) { return label.key < k; });
  if (it == labels_.end() || it->key != *label_key) {
    return core::Requirement::DoesNotExist(std::string(key));
  }
  std::vector<std::string> values;
  for (; it != labels_.end() && it->key == *label_key; ++it) values.push_back(it->value);
  return core::Requirement::In(std::string(key), std::move(values));
}

core::Requirements InstanceType::Requirements() const {
  if (!well_known_) return requirements_;
  core::Requirements requirements;
  for (size_t i = 0; i < kLabelKeyCount; ++i) {
    requirements.Add(*RequirementFor(LabelKeyName(static_cast<LabelKey>(i))));
  }
  requirements.Add(*RequirementFor(kLabelZone));
  requirements.Add(*RequirementFor(kLabelCapacityType));
  return requirements;
}

core::Requirements InstanceType::RequirementsFor(const core::Requirements& other) const {
  core::Requirements requirements;
  for (const auto& [key, unused] : other) {
    if (std::optional<core::Requirement> requirement = RequirementFor(key)) {
      requirements.Add(*requirement);
    }
  }
  return requirements;
}

std::optional<std::string> InstanceType::Label(std::string_view key) const {
  std::optional<core::Requirement> requirement = RequirementFor(key);
  if (!requirement || requirement->complement() || requirement->Len() != 1) return std::nullopt;
  return requirement->Values().front();
}

bool InstanceType::HasAvailableOffering(const core::Requirement& zone,
                                        const core::Requirement& capacity_type,
                                        const UnavailableOfferings* unavailable, Time now) const {
  for (const Offering& offering : offerings_) {
    if (!offering.available || !zone.Has(offering.zone) ||
        !capacity_type.Has(ToString(offering.capacity_type))) {
      continue;
    }
    if (unavailable != nullptr &&
        !unavailable->IsAvailable({name_, offering.zone, offering.capacity_type}, now)) {
      continue;
    }
    return true;
  }
  return false;
}

const Offering* InstanceType::CheapestAvailableOffering() const {
  const Offering* cheapest = nullptr;
  for (const Offering& offering : offerings_) {
    if (!offering.available) continue;
    if (cheapest == nullptr ||
        std::tie(offering.price, offering.zone, offering.capacity_type) <
            std::tie(cheapest->price, cheapest->zone, cheapest->capacity_type)) {
      cheapest = &offering;
    }
  }
  return cheapest;
}

}  // namespace karpenter::catalog
