// A set of Requirements, at most one per label key: what a pod, a NodePool, an instance type
// or a node asks of (or offers for) node labels. Mirrors upstream Karpenter's
// scheduling.Requirements, with deterministic (key-sorted) iteration and error text.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/requirement.h"
#include "core/result.h"

namespace karpenter::core {

// Node or pod labels: key to value.
using Labels = std::map<std::string, std::string>;

// Label keys that one side of Compatible may leave undefined without failing. Karpenter passes
// its well-known labels here (zone, instance type, capacity type, ...); core/ does not know
// that list, so the caller supplies it.
using AllowUndefinedKeys = std::set<std::string, std::less<>>;

class Requirements {
 public:
  using Map = std::map<std::string, Requirement, std::less<>>;

  Requirements() = default;

  // nodeSelector form: every key=value becomes "key In [value]".
  static Requirements FromNodeSelector(const Labels& node_selector);

  // Wire requirements, intersected key by key. Fails on the first requirement
  // Requirement::From rejects.
  static Result<Requirements> FromNodeSelectorRequirements(
      const std::vector<NodeSelectorRequirement>& wire);

  // Adds `requirement`; when its key is already present the two are intersected, so adding
  // can only narrow what is allowed.
  void Add(const Requirement& requirement);
  // Adds each of `other`'s requirements.
  void Add(const Requirements& other);

  bool Has(std::string_view key) const;
  // The requirement for `key`; when absent, an Exists requirement (any value, as upstream:
  // an undefined key constrains nothing).
  Requirement Get(std::string_view key) const;
  // Keys in sorted order.
  std::vector<std::string> Keys() const;
  size_t size() const { return by_key_.size(); }
  bool empty() const { return by_key_.empty(); }
  Map::const_iterator begin() const { return by_key_.begin(); }
  Map::const_iterator end() const { return by_key_.end(); }

  // Whether `incoming` (typically a pod's requirements) can be met by this side (a NodePool,
  // instance type or node), as upstream's Compatible:
  //  1. every key `incoming` constrains must be defined here, unless it is in
  //     `allow_undefined` or incoming's operator for it is NotIn or DoesNotExist; the first
  //     violation (by key order) is reported as `label "k" does not have known values`, with
  //     ` (typo of "x"?)` when an allowed or defined key looks like the intended one;
  //  2. then Intersects(incoming).
  Result<void> Compatible(const Requirements& incoming,
                          const AllowUndefinedKeys& allow_undefined = {}) const;

  // Whether every key both sides define has overlapping values. A key defined on one side
  // only is fine. As upstream, an empty overlap is excused when both sides are NotIn or
  // DoesNotExist. Every failing key is reported, in key order, as
  // `key k, <incoming> not in <existing>`, joined by "; ".
  Result<void> Intersects(const Requirements& incoming) const;

  // Whether `labels` satisfy every requirement, with Kubernetes node-affinity semantics: a
  // present label's value must be allowed (Has); an absent label satisfies only NotIn and
  // DoesNotExist without integer bounds (Exists, In, Gt, Lt need the label). As upstream, a
  // requirement whose intersection became empty counts as DoesNotExist.
  bool Matches(const Labels& labels) const;

  // The requirements' ToString()s in key order, joined by ", ".
  std::string ToString() const;

  // All requirements in wire form, in key order.
  std::vector<NodeSelectorRequirement> ToNodeSelectorRequirements() const;

  friend bool operator==(const Requirements&, const Requirements&) = default;

 private:
  Map by_key_;
};

}  // namespace karpenter::core
