#include "core/label_selector.h"

#include <fmt/format.h>

#include <algorithm>

namespace karpenter::core {
namespace {

bool ExpressionHolds(const LabelSelectorRequirement& expression, const Labels& labels) {
  auto label = labels.find(expression.key);
  const bool present = label != labels.end();
  auto listed = [&] {
    return std::ranges::find(expression.values, label->second) != expression.values.end();
  };
  switch (expression.op) {
    case LabelSelectorOperator::In:
      return present && listed();
    case LabelSelectorOperator::NotIn:
      return !present || !listed();
    case LabelSelectorOperator::Exists:
      return present;
    case LabelSelectorOperator::DoesNotExist:
      return !present;
  }
  return false;
}

}  // namespace

Result<LabelSelectorOperator> ParseLabelSelectorOperator(std::string_view text) {
  if (text == "In") return LabelSelectorOperator::In;
  if (text == "NotIn") return LabelSelectorOperator::NotIn;
  if (text == "Exists") return LabelSelectorOperator::Exists;
  if (text == "DoesNotExist") return LabelSelectorOperator::DoesNotExist;
  return Fail(fmt::format(
      "unknown label selector operator \"{}\" (expected In, NotIn, Exists or DoesNotExist)", text));
}

std::string_view ToString(LabelSelectorOperator op) {
  switch (op) {
    case LabelSelectorOperator::In:
      return "In";
    case LabelSelectorOperator::NotIn:
      return "NotIn";
    case LabelSelectorOperator::Exists:
      return "Exists";
    case LabelSelectorOperator::DoesNotExist:
      return "DoesNotExist";
  }
  return "Unknown";
}

bool LabelSelector::IsEmpty() const { return match_labels.empty() && match_expressions.empty(); }

bool LabelSelector::Matches(const Labels& labels) const {
  for (const auto& [key, value] : match_labels) {
    auto label = labels.find(key);
    if (label == labels.end() || label->second != value) return false;
  }
  return std::ranges::all_of(match_expressions, [&](const LabelSelectorRequirement& e) {
    return ExpressionHolds(e, labels);
  });
}

Result<void> LabelSelector::Validate() const {
  for (const auto& [key, value] : match_labels) {
    if (key.empty()) return Fail("matchLabels: key must not be empty");
  }
  for (size_t i = 0; i < match_expressions.size(); ++i) {
    const LabelSelectorRequirement& e = match_expressions[i];
    const std::string where = fmt::format("matchExpressions[{}]", i);
    if (e.key.empty()) return Fail(where + ": key must not be empty");
    const bool takes_values =
        e.op == LabelSelectorOperator::In || e.op == LabelSelectorOperator::NotIn;
    if (takes_values && e.values.empty()) {
      return Fail(fmt::format("{}: key \"{}\": operator {} needs at least one value", where, e.key,
                              ToString(e.op)));
    }
    if (!takes_values && !e.values.empty()) {
      return Fail(
          fmt::format("{}: key \"{}\": operator {} takes no values", where, e.key, ToString(e.op)));
    }
  }
  return {};
}

}  // namespace karpenter::core
