// What a disruption pass decides: which nodes to take away, by which method and for which
// reason. Replacements (consolidation, drift of non-empty nodes) are added by the methods that
// need the scheduling simulation.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace karpenter::disruption {

// The methods, in the words of `karpenter disrupt -o json`.
enum class Method {
  kEmptiness,
  kDrift,
  kMultiNodeConsolidation,
  kSingleNodeConsolidation,
  kExpiration
};

// "emptiness", "drift", "multi-node", "single-node", "expiration".
std::string_view ToString(Method method);

struct Command {
  Method method = Method::kEmptiness;
  // "Empty", "Drifted", "Underutilized" or "Expired".
  std::string reason;
  // Node names, in the order the method chose them.
  std::vector<std::string> candidates;

  friend bool operator==(const Command&, const Command&) = default;
};

}  // namespace karpenter::disruption
