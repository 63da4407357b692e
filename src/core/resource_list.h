// ResourceList: resource name -> Quantity, the shape of Kubernetes' v1.ResourceList (pod
// requests, node allocatable, NodePool limits), with the helpers upstream Karpenter keeps in
// pkg/utils/resources.
//
// Kept as a small vector sorted by name: lists hold a handful of entries, so this is faster
// than a map and iterates deterministically (Go map order is random; ours is by name).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/quantity.h"
#include "core/result.h"

namespace karpenter::core {

// Well-known resource names (core/v1).
inline constexpr std::string_view kCPU = "cpu";
inline constexpr std::string_view kMemory = "memory";
inline constexpr std::string_view kPods = "pods";
inline constexpr std::string_view kEphemeralStorage = "ephemeral-storage";

class ResourceList {
 public:
  using Entry = std::pair<std::string, Quantity>;
  using const_iterator = std::vector<Entry>::const_iterator;

  ResourceList() = default;
  // Entries in any order; a repeated name keeps the last quantity, as Set would.
  ResourceList(std::initializer_list<std::pair<std::string_view, Quantity>> entries);

  // Builds a list from name -> quantity text, e.g. {{"cpu", "1500m"}, {"memory", "1Gi"}}.
  // The error names the resource: `resource "cpu": invalid quantity "x": ...`.
  static Result<ResourceList> Parse(
      std::initializer_list<std::pair<std::string_view, std::string_view>> entries);

  // The quantity for name, or zero when the list does not have it.
  Quantity Get(std::string_view name) const;
  // The quantity for name, or nullptr when absent. Valid until the list is modified.
  const Quantity* Find(std::string_view name) const;
  bool Contains(std::string_view name) const { return Find(name) != nullptr; }

  // Inserts or replaces name's quantity.
  void Set(std::string_view name, Quantity quantity);
  // Removes name; returns whether it was present.
  bool Erase(std::string_view name);

  // Adds other's quantities resource by resource; resources only in other are added
  // (upstream resources.MergeInto). Formats follow Quantity's operator+.
  void Add(const ResourceList& other);
  // Subtracts other's quantities from the resources this list has; resources only in other
  // are ignored, exactly as upstream resources.Subtract (so "remaining = allocatable - used"
  // never grows negative entries for resources the node does not offer).
  void Subtract(const ResourceList& other);

  // True when every quantity in this list (the request) is <= the same resource in
  // available, where an absent resource counts as zero (so a non-zero request for a resource
  // available lacks does not fit). As upstream resources.Fits, nothing fits when any quantity
  // in available is negative (an over-committed node).
  bool Fits(const ResourceList& available) const;

  // Per-resource maximum over the union of both lists (upstream resources.MaxResources);
  // on a tie the quantity from a is kept.
  static ResourceList Max(const ResourceList& a, const ResourceList& b);

  // True when every quantity is zero (an empty list is zero).
  bool IsZero() const;

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }

  // Same resource names with equal values (formats ignored), like Kubernetes' semantic
  // equality: {cpu: 0} differs from {}.
  friend bool operator==(const ResourceList& a, const ResourceList& b) {
    return a.entries_ == b.entries_;
  }

  // "{cpu: 1500m, memory: 1Gi}" in name order; "{}" when empty.
  std::string ToString() const;

 private:
  std::vector<Entry>::iterator LowerBound(std::string_view name);
  std::vector<Entry>::const_iterator LowerBound(std::string_view name) const;

  std::vector<Entry> entries_;  // sorted by name, names unique
};

// Prints ToString(); lets GoogleTest show lists in failure messages.
void PrintTo(const ResourceList& list, std::ostream* out);

}  // namespace karpenter::core
