#include "core/taint.h"

#include <fmt/format.h>

#include <algorithm>

namespace karpenter::core {

Result<TaintEffect> ParseTaintEffect(std::string_view text) {
  if (text == "NoSchedule") return TaintEffect::NoSchedule;
  if (text == "PreferNoSchedule") return TaintEffect::PreferNoSchedule;
  if (text == "NoExecute") return TaintEffect::NoExecute;
  return Fail(fmt::format(
      "unknown taint effect \"{}\" (expected NoSchedule, PreferNoSchedule or NoExecute)", text));
}

Result<std::optional<TaintEffect>> ParseTolerationEffect(std::string_view text) {
  if (text.empty()) return std::optional<TaintEffect>();
  Result<TaintEffect> effect = ParseTaintEffect(text);
  if (!effect) return std::unexpected(effect.error());
  return std::optional<TaintEffect>(*effect);
}

std::string_view ToString(TaintEffect effect) {
  switch (effect) {
    case TaintEffect::NoSchedule:
      return "NoSchedule";
    case TaintEffect::PreferNoSchedule:
      return "PreferNoSchedule";
    case TaintEffect::NoExecute:
      return "NoExecute";
  }
  return "Unknown";
}

std::string Taint::ToString() const {
  if (value.empty()) return fmt::format("{}:{}", key, core::ToString(effect));
  return fmt::format("{}={}:{}", key, value, core::ToString(effect));
}

Result<TolerationOperator> ParseTolerationOperator(std::string_view text) {
  if (text.empty() || text == "Equal") return TolerationOperator::Equal;
  if (text == "Exists") return TolerationOperator::Exists;
  return Fail(fmt::format("unknown toleration operator \"{}\" (expected Equal or Exists)", text));
}

std::string_view ToString(TolerationOperator op) {
  return op == TolerationOperator::Exists ? "Exists" : "Equal";
}

bool Tolerates(const Toleration& toleration, const Taint& taint) {
  if (toleration.effect && *toleration.effect != taint.effect) return false;
  if (!toleration.key.empty() && toleration.key != taint.key) return false;
  if (toleration.op == TolerationOperator::Exists) return true;
  return toleration.value == taint.value;
}

Result<void> ToleratesAll(const std::vector<Toleration>& tolerations,
                          const std::vector<Taint>& taints) {
  for (const Taint& taint : taints) {
    const bool tolerated = std::ranges::any_of(
        tolerations, [&](const Toleration& toleration) { return Tolerates(toleration, taint); });
    if (!tolerated) return Fail(fmt::format("did not tolerate taint (taint={})", taint.ToString()));
  }
  return {};
}

}  // namespace karpenter::core
