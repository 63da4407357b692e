// Resource lists as fixed-width vectors over the resource names one scheduling run uses, so
// that the hot "does this fit" checks compare integers instead of looking names up.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/quantity.h"
#include "core/resource_list.h"

namespace karpenter::scheduling {

// The resource names of one run, each given a dense index. Intern every name before building
// any Dense vector: vectors are sized to the names known when they are built.
class ResourceIndex {
 public:
  // The index of `name`, adding it when new.
  size_t Intern(std::string_view name);
  // Interns every name `list` has.
  void InternAll(const core::ResourceList& list);
  // The index of `name`, or npos.
  size_t Find(std::string_view name) const;
  size_t size() const { return names_.size(); }
  const std::string& name(size_t index) const { return names_[index]; }
  // Every index, in the order explanations look for "the first resource short": interning
  // order, unless a run that shares an index interned in another order says its own.
  const std::vector<size_t>& report_order() const { return report_order_; }
  void SetReportOrder(std::vector<size_t> order) { report_order_ = std::move(order); }

  static constexpr size_t npos = static_cast<size_t>(-1);

 private:
  std::vector<std::string> names_;
  std::vector<size_t> report_order_;
};

// Exact nano-unit amounts, one per ResourceIndex entry; absent resources are zero.
using Dense = std::vector<core::Int128>;

// `list` as a Dense vector over `index` (names `index` lacks are ignored).
Dense ToDense(const core::ResourceList& list, const ResourceIndex& index);
// Back to a ResourceList of the non-zero entries (memory and ephemeral-storage print binary).
core::ResourceList ToList(const Dense& dense, const ResourceIndex& index);

// a += b, element-wise.
void AddInto(Dense& a, const Dense& b);
// a - b, element-wise.
Dense Minus(const Dense& a, const Dense& b);
// Per-resource minimum.
Dense Min(const Dense& a, const Dense& b);

// As upstream resources.Fits: every request <= available, and nothing fits an over-committed
// node (any negative available amount).
inline bool Fits(const Dense& request, const Dense& available) {
  for (size_t i = 0; i < request.size(); ++i) {
    if (available[i] < 0 || request[i] > available[i]) return false;
  }
  return true;
}

// Fits(a + b, available) without building a + b.
inline bool FitsSum(const Dense& a, const Dense& b, const Dense& available) {
  for (size_t i = 0; i < a.size(); ++i) {
    if (available[i] < 0 || a[i] + b[i] > available[i]) return false;
  }
  return true;
}

// A quantity in its canonical text ("1500m", "4Gi" for binary memory-like resources).
std::string FormatAmount(std::string_view resource, core::Int128 nano);

}  // namespace karpenter::scheduling
