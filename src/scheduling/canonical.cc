#include "scheduling/canonical.h"

#include <algorithm>
#include <string>
#include <vector>

namespace karpenter::scheduling {

std::string Canonical(const core::Requirement& requirement) {
  std::string out = requirement.key();
  out += requirement.complement() ? "\x01!" : "\x01=";
  for (const std::string& value : requirement.Values()) {
    out += value;
    out += '\x1f';
  }
  if (requirement.gte()) out += "\x02>=" + std::to_string(*requirement.gte());
  if (requirement.lte()) out += "\x02<=" + std::to_string(*requirement.lte());
  return out;
}

std::string Canonical(const core::Requirements& requirements) {
  std::string out;
  for (const auto& [key, requirement] : requirements) {
    out += Canonical(requirement);
    out += '\x1e';
  }
  return out;
}

std::string Canonical(const std::optional<core::LabelSelector>& selector) {
  if (!selector) return "\x03nil";
  std::string out;
  for (const auto& [key, value] : selector->match_labels) out += key + "=" + value + "\x1f";
  std::vector<std::string> expressions;
  for (const core::LabelSelectorRequirement& e : selector->match_expressions) {
    std::vector<std::string> values = e.values;
    std::sort(values.begin(), values.end());
    std::string text = e.key + " " + std::string(core::ToString(e.op)) + " ";
    for (const std::string& value : values) text += value + "\x1f";
    expressions.push_back(std::move(text));
  }
  std::sort(expressions.begin(), expressions.end());
  for (const std::string& e : expressions) out += e + "\x1e";
  return out;
}

}  // namespace karpenter::scheduling
