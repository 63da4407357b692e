#include "core/requirements.h"

#include <fmt/format.h>

#include <utility>

namespace karpenter::core {
namespace {

// The part of a label key after its prefix ("zone" of "topology.kubernetes.io/zone").
std::string_view KeySuffix(std::string_view key) {
  const size_t slash = key.find('/');
  return slash == std::string_view::npos ? key : key.substr(slash + 1);
}

// Quotes a label key the way Go's %q does for the printable ASCII that label keys consist of.
std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

bool LooksLike(std::string_view candidate, std::string_view key) {
  return candidate.find(key) != std::string_view::npos || candidate.ends_with(KeySuffix(key));
}

// As upstream, suggest an allowed-undefined key first, then a key this side defines, that
// contains the unknown key or shares its suffix. Candidates are tried in sorted order so the
// hint is stable.
std::string TypoHint(const Requirements& defined, std::string_view key,
                     const AllowUndefinedKeys& allow_undefined) {
  for (const std::string& candidate : allow_undefined) {
    if (LooksLike(candidate, key)) return " (typo of " + Quote(candidate) + "?)";
  }
  for (const auto& [candidate, requirement] : defined) {
    if (LooksLike(candidate, key)) return " (typo of " + Quote(candidate) + "?)";
  }
  return "";
}

bool IsNotInOrDoesNotExist(Operator op) {
  return op == Operator::NotIn || op == Operator::DoesNotExist;
}

}  // namespace

Requirements Requirements::FromNodeSelector(const Labels& node_selector) {
  Requirements out;
  // Labels are sorted and unique: each goes at the end, nothing to intersect.
  for (const auto& [key, value] : node_selector) {
    out.by_key_.emplace_hint(out.by_key_.end(), key, Requirement::Equals(key, value));
  }
  return out;
}

Result<Requirements> Requirements::FromNodeSelectorRequirements(
    const std::vector<NodeSelectorRequirement>& wire) {
  Requirements out;
  for (const NodeSelectorRequirement& item : wire) {
    Result<Requirement> requirement = Requirement::From(item);
    if (!requirement) return std::unexpected(requirement.error());
    out.Add(*requirement);
  }
  return out;
}

void Requirements::Add(const Requirement& requirement) {
  auto it = by_key_.find(requirement.key());
  if (it == by_key_.end()) {
    by_key_.emplace(requirement.key(), requirement);
    return;
  }
  it->second = requirement.Intersection(it->second);
}

void Requirements::Add(const Requirements& other) {
  for (const auto& [key, requirement] : other) Add(requirement);
}

bool Requirements::Has(std::string_view key) const { return by_key_.contains(key); }

Requirement Requirements::Get(std::string_view key) const {
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return Requirement::Exists(std::string(key));
  return it->second;
}

std::vector<std::string> Requirements::Keys() const {
  std::vector<std::string> keys;
  keys.reserve(by_key_.size());
  for (const auto& [key, requirement] : by_key_) keys.push_back(key);
  return keys;
}

Result<void> Requirements::Compatible(const Requirements& incoming,
                                      const AllowUndefinedKeys& allow_undefined) const {
  for (const auto& [key, requirement] : incoming) {
    if (allow_undefined.contains(key) || Has(key)) continue;
    // Asking for a label to be absent (or not one of some values) is met by a node without it.
    if (IsNotInOrDoesNotExist(requirement.EffectiveOperator())) continue;
    return Fail(fmt::format("label {} does not have known values{}", Quote(key),
                            TypoHint(*this, key, allow_undefined)));
  }
  return Intersects(incoming);
}

Result<void> Requirements::Intersects(const Requirements& incoming) const {
  std::string errors;
  for (const auto& [key, theirs] : incoming) {
    auto it = by_key_.find(key);
    if (it == by_key_.end()) continue;
    const Requirement& ours = it->second;
    if (ours.Intersects(theirs)) continue;
    // Two "must not be these" requirements agree that the label may be absent.
    if (IsNotInOrDoesNotExist(theirs.EffectiveOperator()) &&
        IsNotInOrDoesNotExist(ours.EffectiveOperator())) {
      continue;
    }
    if (!errors.empty()) errors += "; ";
    errors += fmt::format("key {}, {} not in {}", key, theirs.ToString(), ours.ToString());
  }
  if (!errors.empty()) return Fail(std::move(errors));
  return {};
}

bool Requirements::Matches(const Labels& labels) const {
  for (const auto& [key, requirement] : by_key_) {
    auto label = labels.find(key);
    if (label != labels.end()) {
      if (!requirement.Has(label->second)) return false;
      continue;
    }
    const bool bounded = requirement.gte() || requirement.lte();
    if (bounded || !IsNotInOrDoesNotExist(requirement.EffectiveOperator())) return false;
  }
  return true;
}

std::string Requirements::ToString() const {
  std::string out;
  for (const auto& [key, requirement] : by_key_) {
    if (!out.empty()) out += ", ";
    out += requirement.ToString();
  }
  return out;
}

std::vector<NodeSelectorRequirement> Requirements::ToNodeSelectorRequirements() const {
  std::vector<NodeSelectorRequirement> out;
  for (const auto& [key, requirement] : by_key_) {
    for (NodeSelectorRequirement& item : requirement.ToNodeSelectorRequirements()) {
      out.push_back(std::move(item));
    }
  }
  return out;
}

}  // namespace karpenter::core
