// A NodePool's instance types prepared for fast filtering (upstream
// filterInstanceTypesByRequirements): type sets are index vectors, requirement and offering
// checks are cached bitsets keyed by the requirement's canonical text, resources are dense.
#pragma once

#include <cstdint>
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

  // The options that meet `requirements`, have an allowed available offering, and fit
  // `requests` plus their daemon overhead; with `outcome` filled when none (or minValues) fails.
  std::vector<TypeIndex> Filter(const std::vector<TypeIndex>& options,
                                const core::Requirements& requirements, const Dense& requests,
                                FilterOutcome* outcome, const ResourceIndex& resources);

  // The options (in order) whose minValues requirements hold, or an error naming the keys.
  std::string CheckMinValues(const std::vector<TypeIndex>& options,
                             const core::Requirements& requirements) const;

 private:
  using Mask = std::vector<uint64_t>;
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
  std::set<std::string, std::less<>> defined_keys_;  // keys some type has a requirement for
};

inline bool TestBit(const std::vector<uint64_t>& mask, size_t i) {
  return (mask[i >> 6] >> (i & 63)) & 1;
}

}  // namespace karpenter::scheduling
