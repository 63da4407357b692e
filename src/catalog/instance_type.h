// InstanceType: what a node of one instance type offers pods (capacity, overhead, allocatable),
// which node labels it carries (requirements) and where it can be bought (offerings). The
// counterpart of upstream's cloudprovider.InstanceType.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/labels.h"
#include "catalog/offering.h"
#include "catalog/unavailable_offerings.h"
#include "core/requirement.h"
#include "core/requirements.h"
#include "core/resource_list.h"

namespace karpenter::catalog {

// What the node keeps of its capacity for itself: allocatable = capacity - Total().
struct Overhead {
  core::ResourceList kube_reserved;
  core::ResourceList system_reserved;
  core::ResourceList eviction_threshold;

  // The three added together, resource by resource (upstream Overhead.Total).
  core::ResourceList Total() const;

  friend bool operator==(const Overhead&, const Overhead&) = default;
};

// A single-valued well-known label, e.g. {kInstanceFamily, "c7i"}.
struct TypeLabel {
  LabelKey key;
  std::string value;

  friend bool operator==(const TypeLabel&, const TypeLabel&) = default;
};

class InstanceType {
 public:
  InstanceType() = default;

  // A type described the way the AWS provider describes one: `labels` are single-valued
  // well-known labels ("In [value]"); every other LabelKey is DoesNotExist (the node never has
  // the label); zone and capacity type are "In" the values the offerings have, available or
  // not (as upstream). Stored compactly: a full catalog of five regions holds ~5,000 types.
  static InstanceType WithWellKnownLabels(std::string name, core::ResourceList capacity,
                                          Overhead overhead, std::vector<TypeLabel> labels,
                                          std::vector<Offering> offerings);

  // A type whose requirements are given verbatim (custom catalogs, tests); nothing is implied,
  // not even the instance-type label.
  static InstanceType WithRequirements(std::string name, core::ResourceList capacity,
                                       Overhead overhead, core::Requirements requirements,
                                       std::vector<Offering> offerings);

  const std::string& name() const { return name_; }
  const core::ResourceList& capacity() const { return capacity_; }
  const Overhead& overhead() const { return overhead_; }
  // capacity - overhead.Total(), for the resources capacity has; computed once at construction.
  const core::ResourceList& allocatable() const { return allocatable_; }
  const std::vector<Offering>& offerings() const { return offerings_; }

  // All label requirements the type satisfies (built on each call).
  core::Requirements Requirements() const;
  // The requirement for one label key, or nullopt when the type does not constrain the key.
  std::optional<core::Requirement> RequirementFor(std::string_view key) const;
  // The type's requirements for just the keys `other` has: all Requirements::Intersects needs,
  // at a fraction of the cost of Requirements().
  core::Requirements RequirementsFor(const core::Requirements& other) const;

  // The value of a label the type has exactly one value for ("In [v]"), else nullopt.
  std::optional<std::string> Label(std::string_view key) const;

  // Whether some offering is available (statically, and in `unavailable` at `now` when given)
  // in a zone and capacity type that `zone` and `capacity_type` allow.
  bool HasAvailableOffering(const core::Requirement& zone, const core::Requirement& capacity_type,
                            const UnavailableOfferings* unavailable = nullptr, Time now = {}) const;

  // The cheapest available offering (lowest price, then zone, then capacity type), or nullptr.
  const Offering* CheapestAvailableOffering() const;

 private:
  void ComputeAllocatable();
  std::vector<std::string> OfferingZones() const;
  std::vector<std::string> OfferingCapacityTypes() const;

  std::string name_;
  core::ResourceList capacity_;
  Overhead overhead_;
  core::ResourceList allocatable_;
  std::vector<TypeLabel> labels_;    // sorted by key; used when well_known_
  core::Requirements requirements_;  // used when !well_known_
  std::vector<Offering> offerings_;
  bool well_known_ = false;
};

}  // namespace karpenter::catalog
