// One label key's constraint as Karpenter reasons about it: a set of allowed values that is
// either finite ("In") or the complement of a finite set ("NotIn"/"Exists"), optionally
// narrowed by inclusive integer bounds, plus NodePool's minValues.
//
// This is the clean reference implementation of upstream Karpenter's scheduling.Requirement.
// The hot path later compiles requirements to bitsets over interned values; this class stays
// simple and obviously correct so those can be tested against it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace karpenter::core {

// The node selector operators: Kubernetes' six plus Karpenter v1's inclusive Gte/Lte.
enum class Operator { In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte, Lte };

// Parses the wire spelling ("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", "Gte", "Lte");
// case-sensitive, as the API server is.
Result<Operator> ParseOperator(std::string_view text);

// The wire spelling of `op`.
std::string_view ToString(Operator op);

// The wire form of a requirement (corev1.NodeSelectorRequirement; NodePool requirements add
// minValues).
struct NodeSelectorRequirement {
  std::string key;
  Operator op = Operator::In;
  std::vector<std::string> values;
  std::optional<int> min_values;

  friend bool operator==(const NodeSelectorRequirement&, const NodeSelectorRequirement&) = default;
};

// Parses a decimal integer exactly as Go's strconv.Atoi does on 64-bit platforms: an optional
// '+' or '-', then one or more ASCII digits, within int64. Anything else is nullopt.
std::optional<int64_t> ParseGoInt(std::string_view text);

class Requirement {
 public:
  // What Len() reports for a complement set, minus the number of excluded values (as upstream,
  // "practically infinite").
  static constexpr size_t kUnboundedLen = static_cast<size_t>(INT64_MAX);

  // Builds the set a wire requirement describes. In/NotIn take their values; Exists and
  // DoesNotExist ignore any values (as upstream). Gt/Lt/Gte/Lte need exactly one value that
  // ParseGoInt accepts, else an Error naming the key; Gt n is stored as the inclusive bound
  // n+1 and Lt n as n-1. A bound that cannot hold any int64 (Gt max, Lt min) gives the empty
  // set. The key is taken as given: normalising deprecated label aliases is the caller's job.
  static Result<Requirement> From(const NodeSelectorRequirement& wire);

  // Shorthands for the common shapes; they cannot fail.
  static Requirement In(std::string key, std::vector<std::string> values);
  // In with the one value a label has (no list built: nodes' labels become these by the
  // thousand in every scheduling run).
  static Requirement Equals(std::string key, std::string value);
  static Requirement NotIn(std::string key, std::vector<std::string> values);
  static Requirement Exists(std::string key);
  static Requirement DoesNotExist(std::string key);

  const std::string& key() const { return key_; }
  const std::optional<int>& min_values() const { return min_values_; }
  // Inclusive integer bounds; set only on complement sets (Intersection drops them once the
  // set is finite, because the finite values were already filtered through them).
  const std::optional<int64_t>& gte() const { return gte_; }
  const std::optional<int64_t>& lte() const { return lte_; }
  bool complement() const { return complement_; }

  // Whether `value` is allowed. When bounds are set, a value that is not an integer (per
  // ParseGoInt) or lies outside them is not allowed.
  bool Has(std::string_view value) const;

  // The set of values both allow, keyed by this requirement's key. minValues is the larger of
  // the two. Crossed bounds give the empty set (which upstream reports as DoesNotExist).
  Requirement Intersection(const Requirement& other) const;

  // Whether Intersection(other) would be non-empty, computed without building it, with
  // upstream's semantics: crossed bounds never intersect; two complement sets always do
  // (even when bounds and exclusions leave nothing); the empty set (DoesNotExist) intersects
  // nothing, not even itself. Requirements::Intersects excuses the NotIn/DoesNotExist pairs.
  bool Intersects(const Requirement& other) const;

  // As upstream's Operator(): In (finite, non-empty), DoesNotExist (finite, empty), NotIn
  // (complement with exclusions), Exists (complement without exclusions). Bounded sets report
  // Exists or NotIn; never Gt/Lt/Gte/Lte.
  Operator EffectiveOperator() const;

  // Number of allowed values for a finite set; kUnboundedLen minus the exclusions for a
  // complement set (bounds are not counted, as upstream).
  size_t Len() const;

  // The finite set's members, or the complement's exclusions, sorted.
  std::vector<std::string> Values() const;

  // A deterministic allowed value: the smallest member of a finite set; for a complement set
  // the allowed integer nearest the lower bound (nearest 0 when there is none: counting up
  // from 0, or down from the upper bound when that is negative). nullopt when the set is
  // empty or no integer qualifies. Upstream picks at random; we promise determinism instead.
  std::optional<std::string> Any() const;

  // "key In [a b]", "key NotIn [a]", "key Exists", "key DoesNotExist", then " >=n", " <=n",
  // " minValues n" when set. More than five values print as the first five and
  // "and N others", as upstream.
  std::string ToString() const;

  // The wire form: one entry, or two (Gte and Lte) when both bounds are set. Exclusions of a
  // bounded set are not representable on the wire and are dropped, as upstream.
  std::vector<NodeSelectorRequirement> ToNodeSelectorRequirements() const;

  friend bool operator==(const Requirement&, const Requirement&) = default;

 private:
  Requirement(std::string key, bool complement, std::set<std::string, std::less<>> values,
              std::optional<int> min_values);

  bool WithinBounds(std::string_view value) const;

  std::string key_;
  bool complement_ = false;
  std::set<std::string, std::less<>> values_;
  std::optional<int64_t> gte_;
  std::optional<int64_t> lte_;
  std::optional<int> min_values_;
};

}  // namespace karpenter::core
