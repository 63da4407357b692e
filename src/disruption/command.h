// What a disruption pass decides: which nodes to take away, by which method and for which
// reason. Replacements (consolidation, drift of non-empty nodes) are added by the methods that
// need the scheduling simulation.
#pragma once

#include <optional>
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

// A node to launch in place of the candidates: the offering it would launch on first, the
// instance types it may be launched as (cheapest launch first), and the launch price.
struct Replacement {
  std::string node_pool;
  std::string instance_type;
  std::vector<std::string> instance_type_options;
  std::string capacity_type;  // "spot" or "on-demand"
  double price_per_hour = 0;

  friend bool operator==(const Replacement&, const Replacement&) = default;
};

struct Command {
  Method method = Method::kEmptiness;
  // "Empty", "Drifted", "Underutilized" or "Expired".
  std::string reason;
  // Node names, in the order the method chose them.
  std::vector<std::string> candidates;
  // At most one for consolidation and drift; none for a plain delete.
  std::vector<Replacement> replacements;
  // The candidates' hourly price minus the replacements' (negative when a drift replacement
  // costs more); set on every command whose candidates' prices the catalog knows.
  std::optional<double> savings_per_hour;

  friend bool operator==(const Command&, const Command&) = default;
};

}  // namespace karpenter::disruption
