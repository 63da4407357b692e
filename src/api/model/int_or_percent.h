// An int-or-string that Kubernetes reads as a count or a percentage (PDB minAvailable and
// maxUnavailable, rolling update maxSurge): 3 or "50%".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace karpenter::api {

struct IntOrPercent {
  int32_t value = 0;
  bool is_percent = false;

  static IntOrPercent Count(int32_t value) { return {value, false}; }
  static IntOrPercent Percent(int32_t value) { return {value, true}; }

  // Parses the string form, which must be a percentage: digits followed by '%' ("0%", "50%",
  // "150%"). Anything else ("50", "5.5%", "-1%", "") fails with the API server's message,
  // because a string that is not a percentage is invalid wherever Kubernetes takes one.
  static Result<IntOrPercent> ParsePercent(std::string_view text);

  // "50%" or "3".
  std::string ToString() const;

  // The count this stands for out of `total` pods, as upstream GetScaledValueFromIntOrPercent:
  // a count as is; a percentage of `total` rounded up or down (PDBs round up).
  int64_t Scaled(int64_t total, bool round_up) const;

  friend bool operator==(const IntOrPercent&, const IntOrPercent&) = default;
};

}  // namespace karpenter::api
