// A NodePool's instance types prepared for fast filtering (upstream
// filterInstanceTypesByRequirements): type sets are index vectors, requirement and offering
// checks are cached bitsets keyed by the requirement's canonical text, resources are dense.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/instance_type.h"
#include "core/requirements.h"
#include "scheduling/dense_resources.h"

namespace karpenter::scheduling {

struct PoolType {
  const catalog::InstanceType* type = nullptr;
  Dense allocatable;
  Dense capacity;  // with nodes: 1, for NodePool limits
  int daemon_group = 0;
  bool over_committed = false;  // some allocatable amount is negative: nothing fits
};

// Why filtering left no instance type, gathered while filtering (as upstream's
// InstanceTypeFilterError), turned into words by Explain().
struct FilterOutcome {
  bool requirements_met = false;  // some type met the requirements
  bool fits = false;              // some type had the resources
  bool has_offering = false;      // some type had an allowed available offering
  bool requirements_and_fits = false;
  bool requirements_and_offering = false;
  bool fits_and_offering = false;
  std::string min_values;  // set when minValues failed
  std::string requirement_detail;
  std::string resource_detail;
  std::string offering_detail;

  std::string Explain() const;
};

using TypeIndex = uint32_t;

class PoolTypes {
 public:
  PoolTypes() = default;
  explicit PoolTypes(std::vector<PoolType> types);

  size_t size() const { return types_.size(); }
  const PoolType& at(TypeIndex i) const { return types_[i]; }
  std::vector<Dense>& daemon_overheads() { return daemon_overheads_; }
  const std::vector<Dense>& daemon_overheads() const { return daemon_overheads_; }
  void SetDaemonGroup(TypeIndex i, int group) { types_[i].daemon_group = group; }
  const Dense& overhead_of(TypeIndex i) const { return daemon_overheads_[types_[i].daemon_group]; }

  // The resources a fit check of `requests` must compare: those the requests or some daemon
  // overhead use (for the others, request and overhead are zero, and a type whose allocatable
  // is negative somewhere is over-committed anyway).
  std::vector<size_t> Relevant(const Dense& requests) const;
  // FitsSum(requests, overhead_of(i), allocatable of i), comparing only `relevant`.
  bool FitsOn(TypeIndex i, const Dense& requests, const std::vector<size_t>& relevant) const {
    const PoolType& type = types_[i];
    if (type.over_committed) return false;
    const Dense& overhead = overhead_of(i);
    for (size_t r : relevant) {
      if (requests[r] + overhead[r] > type.allocatable[r]) return false;
    }
    return true;
  }

  // The options that meet `requirements`, have an allowed available offering, and fit
  // `requests` plus their daemon overhead; with `outcome` filled when none (or minValues) fails.
  std::vector<TypeIndex> Filter(const std::vector<TypeIndex>& options,
                                const core::Requirements& requirements, const Dense& requests,
                                FilterOutcome* outcome, const ResourceIndex& resources);

  // The options that fit `requests` plus their daemon overhead, when they are known to meet
  // `requirements` and have offerings already; empty too when minValues then fails.
  std::vector<TypeIndex> FilterFits(const std::vector<TypeIndex>& options,
                                    const core::Requirements& requirements,
                                    const Dense& requests) const;

  // The options (in order) whose minValues requirements hold, or an error naming the keys.
  std::string CheckMinValues(const std::vector<TypeIndex>& options,
                             const core::Requirements& requirements) const;

  // The single checks Filter combines, for explanations: whether some type has a requirement
  // on `key` (Filter ignores the others), whether type `i` meets `requirement`, and whether it
  // has an available offering in the zones and capacity types allowed.
  bool Defines(const std::string& key);
  bool Meets(TypeIndex i, const core::Requirement& requirement) {
    return TestBit(RequirementMask(requirement), i);
  }
  bool Offered(TypeIndex i, const core::Requirement& zone, const core::Requirement& capacity_type) {
    return TestBit(OfferingMask(zone, capacity_type), i);
  }

  // What the available offerings in the zones and capacity types allowed say about each type,
  // computed once per (zone, capacity type) pair: ranking a NodeClaim's options is then a walk
  // over `order`, not a sort.
  struct OfferingView {
    std::vector<double> price;            // by type: cheapest such offering; +inf when none
    std::vector<uint8_t> capacity_types;  // by type: bit 1 << CapacityType of each such offering
    std::vector<TypeIndex> order;         // every type, cheapest first, then by name
  };
  const OfferingView& Offerings(const core::Requirement& zone,
                                const core::Requirement& capacity_type);

 private:
  using Mask = std::vector<uint64_t>;
  static bool TestBit(const Mask& mask, size_t i) { return (mask[i >> 6] >> (i & 63)) & 1; }
  const Mask& RequirementMask(const core::Requirement& requirement);
  const Mask& OfferingMask(const core::Requirement& zone, const core::Requirement& capacity_type);
  Mask CompatibleMask(const core::Requirements& requirements);
  void Explain(const std::vector<TypeIndex>& options, const core::Requirements& requirements,
               const Mask& compatible, const Mask& offering, const Dense& requests,
               FilterOutcome& outcome, const ResourceIndex& resources);

  std::vector<PoolType> types_;
  size_t mask_words_ = 0;
  std::vector<Dense> daemon_overheads_;
  std::unordered_map<std::string, Mask> cache_;
  std::unordered_map<std::string, OfferingView> offering_views_;
  // Per label key asked about: whether some type has a requirement for it (found lazily: a
  // run asks about a handful of keys, and building every type's requirements is costly).
  std::map<std::string, bool, std::less<>> defined_keys_;
};

inline bool TestBit(const std::vector<uint64_t>& mask, size_t i) {
  return (mask[i >> 6] >> (i & 63)) & 1;
}

}  // namespace karpenter::scheduling
