#include "api/model/node_pool.h"

#include <cstdint>

namespace karpenter::api {
namespace {

// Digits only, as a non-negative integer no larger than `max`; nullopt otherwise.
std::optional<int64_t> ParseDigits(std::string_view text, int64_t max) {
  if (text.empty()) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
    if (value > max) return std::nullopt;
  }
  return value;
}

}  // namespace

Result<IntOrPercent> ParseBudgetNodes(std::string_view text) {
  const std::string quoted = "\"" + std::string(text) + "\"";
  if (!text.empty() && text.back() == '%') {
    // The CRD's pattern: one or two digits, or exactly 100.
    std::string_view digits = text.substr(0, text.size() - 1);
    std::optional<int64_t> percent =
        digits.size() <= 2 || digits == "100" ? ParseDigits(digits, 100) : std::nullopt;
    if (!percent) {
      return Fail("invalid budget nodes " + quoted + ": a percentage must be 0% to 100%");
    }
    return IntOrPercent::Percent(static_cast<int32_t>(*percent));
  }
  std::optional<int64_t> count = ParseDigits(text, INT32_MAX);
  if (!count) {
    return Fail("invalid budget nodes " + quoted +
                ": must be a node count (\"5\") or a percentage (\"10%\")");
  }
  return IntOrPercent::Count(static_cast<int32_t>(*count));
}

Result<DisruptionReason> ParseDisruptionReason(std::string_view text) {
  if (text == "Underutilized") return DisruptionReason::kUnderutilized;
  if (text == "Empty") return DisruptionReason::kEmpty;
  if (text == "Drifted") return DisruptionReason::kDrifted;
  return Fail("unsupported disruption reason \"" + std::string(text) +
              "\": must be Underutilized, Empty or Drifted");
}

std::string_view ToString(DisruptionReason reason) {
  switch (reason) {
    case DisruptionReason::kUnderutilized: return "Underutilized";
    case DisruptionReason::kEmpty: return "Empty";
    case DisruptionReason::kDrifted: return "Drifted";
  }
  return "";
}

Result<ConsolidationPolicy> ParseConsolidationPolicy(std::string_view text) {
  if (text == "WhenEmpty") return ConsolidationPolicy::kWhenEmpty;
  if (text == "WhenEmptyOrUnderutilized") return ConsolidationPolicy::kWhenEmptyOrUnderutilized;
  if (text == "Balanced") return ConsolidationPolicy::kBalanced;
  return Fail("unsupported consolidation policy \"" + std::string(text) +
              "\": must be WhenEmpty, WhenEmptyOrUnderutilized or Balanced");
}

std::string_view ToString(ConsolidationPolicy policy) {
  switch (policy) {
    case ConsolidationPolicy::kWhenEmpty: return "WhenEmpty";
    case ConsolidationPolicy::kWhenEmptyOrUnderutilized: return "WhenEmptyOrUnderutilized";
    case ConsolidationPolicy::kBalanced: return "Balanced";
  }
  return "";
}

}  // namespace karpenter::api
