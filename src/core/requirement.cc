#include "core/requirement.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

namespace karpenter::core {
namespace {

constexpr std::array<std::pair<Operator, std::string_view>, 8> kOperatorNames = {{
    {Operator::In, "In"},
    {Operator::NotIn, "NotIn"},
    {Operator::Exists, "Exists"},
    {Operator::DoesNotExist, "DoesNotExist"},
    {Operator::Gt, "Gt"},
    {Operator::Lt, "Lt"},
    {Operator::Gte, "Gte"},
    {Operator::Lte, "Lte"},
}};

// How many values ToString prints before summarising the rest, as upstream.
constexpr size_t kMaxPrintedValues = 5;

using ValueSet = std::set<std::string, std::less<>>;

bool WithinBoundsOf(std::string_view value, const std::optional<int64_t>& gte,
                    const std::optional<int64_t>& lte) {
  if (!gte && !lte) return true;
  // Once bounds exist, only integers can be members: "large" is not >= 3.
  std::optional<int64_t> number = ParseGoInt(value);
  if (!number) return false;
  if (gte && *number < *gte) return false;
  if (lte && *number > *lte) return false;
  return true;
}

template <typename T>
std::optional<T> MaxOf(const std::optional<T>& a, const std::optional<T>& b) {
  if (!a) return b;
  if (!b) return a;
  return std::max(*a, *b);
}

template <typename T>
std::optional<T> MinOf(const std::optional<T>& a, const std::optional<T>& b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

// The finite part of an intersection, before bounds are applied.
ValueSet CombineValues(bool a_complement, const ValueSet& a, bool b_complement, const ValueSet& b) {
  ValueSet out;
  if (a_complement && b_complement) {
    std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  } else if (a_complement) {
    std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::inserter(out, out.end()));
  } else if (b_complement) {
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  } else {
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  }
  return out;
}

std::string QuoteList(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ' ';
    out += '"' + values[i] + '"';
  }
  return out + "]";
}

}  // namespace

Result<Operator> ParseOperator(std::string_view text) {
  for (const auto& [op, name] : kOperatorNames) {
    if (name == text) return op;
  }
  return Fail(fmt::format(
      "unknown operator \"{}\" (expected In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte or Lte)",
      text));
}

std::string_view ToString(Operator op) {
  for (const auto& [candidate, name] : kOperatorNames) {
    if (candidate == op) return name;
  }
  return "Unknown";
}

std::optional<int64_t> ParseGoInt(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  // Accumulate as a magnitude so that INT64_MIN, whose magnitude exceeds INT64_MAX, parses.
  const uint64_t limit = negative ? uint64_t{1} << 63 : uint64_t{INT64_MAX};
  uint64_t magnitude = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (magnitude > (limit - digit) / 10) return std::nullopt;
    magnitude = magnitude * 10 + digit;
  }
  if (negative) return static_cast<int64_t>(0 - magnitude);
  return static_cast<int64_t>(magnitude);
}

Requirement::Requirement(std::string key, bool complement, ValueSet values,
                         std::optional<int> min_values)
    : key_(std::move(key)),
      complement_(complement),
      values_(std::move(values)),
      min_values_(min_values) {}

Result<Requirement> Requirement::From(const NodeSelectorRequirement& wire) {
  switch (wire.op) {
    case Operator::In:
      return Requirement(wire.key, false, ValueSet(wire.values.begin(), wire.values.end()),
                         wire.min_values);
    case Operator::NotIn:
      return Requirement(wire.key, true, ValueSet(wire.values.begin(), wire.values.end()),
                         wire.min_values);
    case Operator::Exists:
      return Requirement(wire.key, true, {}, wire.min_values);
    case Operator::DoesNotExist:
      return Requirement(wire.key, false, {}, wire.min_values);
    case Operator::Gt:
    case Operator::Lt:
    case Operator::Gte:
    case Operator::Lte:
      break;
  }
  std::optional<int64_t> bound;
  if (wire.values.size() == 1) bound = ParseGoInt(wire.values.front());
  if (!bound) {
    return Fail(fmt::format("key \"{}\": operator {} needs exactly one integer value, got {}",
                            wire.key, core::ToString(wire.op), QuoteList(wire.values)));
  }
  Requirement r(wire.key, true, {}, wire.min_values);
  // Gt and Lt become inclusive bounds; a bound no int64 can satisfy leaves the empty set.
  if ((wire.op == Operator::Gt && *bound == std::numeric_limits<int64_t>::max()) ||
      (wire.op == Operator::Lt && *bound == std::numeric_limits<int64_t>::min())) {
    return Requirement(wire.key, false, {}, wire.min_values);
  }
  switch (wire.op) {
    case Operator::Gt:
      r.gte_ = *bound + 1;
      break;
    case Operator::Gte:
      r.gte_ = *bound;
      break;
    case Operator::Lt:
      r.lte_ = *bound - 1;
      break;
    default:
      r.lte_ = *bound;
      break;
  }
  return r;
}

Requirement Requirement::In(std::string key, std::vector<std::string> values) {
  return Requirement(std::move(key), false, ValueSet(values.begin(), values.end()), {});
}

Requirement Requirement::Equals(std::string key, std::string value) {
  ValueSet values;
  values.insert(std::move(value));
  return Requirement(std::move(key), false, std::move(values), {});
}

Requirement Requirement::NotIn(std::string key, std::vector<std::string> values) {
  return Requirement(std::move(key), true, ValueSet(values.begin(), values.end()), {});
}

Requirement Requirement::Exists(std::string key) {
  return Requirement(std::move(key), true, {}, {});
}

Requirement Requirement::DoesNotExist(std::string key) {
  return Requirement(std::move(key), false, {}, {});
}

bool Requirement::WithinBounds(std::string_view value) const {
  return WithinBoundsOf(value, gte_, lte_);
}

bool Requirement::Has(std::string_view value) const {
  const bool listed = values_.contains(value);
  return (complement_ ? !listed : listed) && WithinBounds(value);
}

Requirement Requirement::Intersection(const Requirement& other) const {
  const bool complement = complement_ && other.complement_;
  std::optional<int64_t> gte = MaxOf(gte_, other.gte_);
  std::optional<int64_t> lte = MinOf(lte_, other.lte_);
  const std::optional<int> min_values = MaxOf(min_values_, other.min_values_);
  if (gte && lte && *gte > *lte) return Requirement(key_, false, {}, min_values);

  ValueSet values = CombineValues(complement_, values_, other.complement_, other.values_);
  std::erase_if(values, [&](const std::string& v) { return !WithinBoundsOf(v, gte, lte); });
  Requirement out(key_, complement, std::move(values), min_values);
  // A finite set was already filtered through the bounds, so they carry no more information.
  if (complement) {
    out.gte_ = gte;
    out.lte_ = lte;
  }
  return out;
}

bool Requirement::Intersects(const Requirement& other) const {
  const std::optional<int64_t> gte = MaxOf(gte_, other.gte_);
  const std::optional<int64_t> lte = MinOf(lte_, other.lte_);
  if (gte && lte && *gte > *lte) return false;
  if (complement_ && other.complement_) return true;
  // At least one side is finite: look for one of its members the other side allows.
  const Requirement& finite = complement_ ? other : *this;
  const Requirement& rest = complement_ ? *this : other;
  return std::ranges::any_of(finite.values_, [&](const std::string& v) {
    const bool listed = rest.values_.contains(v);
    return (rest.complement_ ? !listed : listed) && WithinBoundsOf(v, gte, lte);
  });
}

Operator Requirement::EffectiveOperator() const {
  if (complement_) return values_.empty() ? Operator::Exists : Operator::NotIn;
  return values_.empty() ? Operator::DoesNotExist : Operator::In;
}

size_t Requirement::Len() const {
  return complement_ ? kUnboundedLen - values_.size() : values_.size();
}

std::vector<std::string> Requirement::Values() const {
  return std::vector<std::string>(values_.begin(), values_.end());
}

std::optional<std::string> Requirement::Any() const {
  if (!complement_) {
    if (values_.empty()) return std::nullopt;
    return *values_.begin();
  }
  // Each excluded value can reject at most one candidate, so this loop is short.
  const bool downward = !gte_ && lte_ && *lte_ < 0;
  int64_t candidate = gte_ ? *gte_ : (downward ? *lte_ : 0);
  for (size_t step = 0; step <= values_.size(); ++step) {
    if (lte_ && candidate > *lte_) return std::nullopt;
    std::string text = std::to_string(candidate);
    if (!values_.contains(text)) return text;
    if (candidate ==
        (downward ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max())) {
      return std::nullopt;
    }
    candidate += downward ? -1 : 1;
  }
  return std::nullopt;
}

std::string Requirement::ToString() const {
  const Operator op = EffectiveOperator();
  std::string out = key_ + " " + std::string(core::ToString(op));
  if (op == Operator::In || op == Operator::NotIn) {
    out += " [";
    size_t printed = 0;
    for (const std::string& v : values_) {
      if (printed == kMaxPrintedValues) {
        out += fmt::format(" and {} others", values_.size() - kMaxPrintedValues);
        break;
      }
      if (printed > 0) out += ' ';
      out += v;
      ++printed;
    }
    out += "]";
  }
  if (gte_) out += fmt::format(" >={}", *gte_);
  if (lte_) out += fmt::format(" <={}", *lte_);
  if (min_values_) out += fmt::format(" minValues {}", *min_values_);
  return out;
}

std::vector<NodeSelectorRequirement> Requirement::ToNodeSelectorRequirements() const {
  std::vector<NodeSelectorRequirement> out;
  if (gte_) out.push_back({key_, Operator::Gte, {std::to_string(*gte_)}, min_values_});
  if (lte_) out.push_back({key_, Operator::Lte, {std::to_string(*lte_)}, min_values_});
  if (!out.empty()) return out;
  const Operator op = EffectiveOperator();
  std::vector<std::string> values;
  if (op == Operator::In || op == Operator::NotIn) values = Values();
  out.push_back({key_, op, std::move(values), min_values_});
  return out;
}

}  // namespace karpenter::core
