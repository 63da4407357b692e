// Catalog: the instance types a cluster can launch, by name, and the selection of the ones a
// NodePool's (or a pod's) requirements allow.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/instance_type.h"
#include "catalog/unavailable_offerings.h"
#include "core/requirements.h"
#include "core/result.h"

namespace karpenter::catalog {

class Catalog {
 public:
  Catalog() = default;

  // A catalog of `types`, kept sorted by name. Fails, naming the type, when two share a name.
  // `region` is informational ("" for custom catalogs).
  static Result<Catalog> Create(std::vector<InstanceType> types, std::string region = {});

  const std::string& region() const { return region_; }
  // Sorted by name.
  const std::vector<InstanceType>& types() const { return types_; }
  size_t size() const { return types_.size(); }
  bool empty() const { return types_.empty(); }

  // The type called `name`, or nullptr. Valid while the catalog lives.
  const InstanceType* Find(std::string_view name) const;

  // The types `requirements` allow, in name order, as upstream's scheduler filters a NodePool's
  // instance types: the type's requirements intersect `requirements` (Requirements::Intersects:
  // only keys both define are compared, so a NodePool's own labels do not exclude anything),
  // and at least one available offering lies in a zone and capacity type `requirements` allow.
  // Pointers are valid while the catalog lives.
  std::vector<const InstanceType*> Filter(const core::Requirements& requirements) const;

  // The same, also leaving out offerings `unavailable` holds at `now`.
  std::vector<const InstanceType*> Filter(const core::Requirements& requirements,
                                          const UnavailableOfferings& unavailable, Time now) const;

 private:
  std::vector<const InstanceType*> FilterImpl(const core::Requirements& requirements,
                                              const UnavailableOfferings* unavailable,
                                              Time now) const;

  std::string region_;
  std::vector<InstanceType> types_;
  // Every type's instance-type label is its own name, so a finite instance-type requirement
  // (a NodeClaim's list of types) can only let through the types it names.
  bool named_by_label_ = false;
};

}  // namespace karpenter::catalog
