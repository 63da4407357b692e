// metav1.Condition, as Karpenter's kinds report status (NodePool Ready, NodeClaim Launched /
// Registered / Initialized / Drifted, EC2NodeClass Ready, ...).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace karpenter::api {

struct Condition {
  std::string type;    // "Ready", "Drifted", ...
  std::string status;  // "True", "False" or "Unknown"
  int64_t observed_generation = 0;
  // Seconds since the Unix epoch (RFC 3339 on the wire).
  std::optional<int64_t> last_transition_time;
  std::string reason;
  std::string message;

  bool IsTrue() const { return status == "True"; }

  friend bool operator==(const Condition&, const Condition&) = default;
};

// The condition of type `type`, or nullptr (conditions are a map keyed by type on the wire).
inline const Condition* FindCondition(const std::vector<Condition>& conditions,
                                      std::string_view type) {
  for (const Condition& condition : conditions) {
    if (condition.type == type) return &condition;
  }
  return nullptr;
}

}  // namespace karpenter::api
