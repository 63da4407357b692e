#include "disruption/disruption_cost.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <system_error>

namespace karpenter::disruption {
namespace {

// Go's strconv.ParseFloat for the forms a person writes: an optional sign, decimal or
// exponent notation, "inf"/"infinity". NaN and out-of-range values are refused, as
// they cannot order pods.
std::optional<double> ParseFloat(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text.front() == '+' || text.front() == '-') return std::nullopt;
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || std::isnan(value)) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

}  // namespace

double EvictionCost(const api::Pod& pod) {
  double cost = 1.0;
  static const std::string kKey(kPodDeletionCostAnnotation);  // once, not once per pod
  auto it = pod.metadata.annotations.find(kKey);
  if (it != pod.metadata.annotations.end()) {
    if (std::optional<double> deletion_cost = ParseFloat(it->second)) {
      cost += *deletion_cost / std::ldexp(1.0, 27);
    }
  }
  if (pod.spec.priority) cost += static_cast<double>(*pod.spec.priority) / std::ldexp(1.0, 25);
  return std::clamp(cost, -10.0, 10.0);
}

double ReschedulingCost(const std::vector<const api::Pod*>& pods) {
  double cost = 0;
  for (const api::Pod* pod : pods) cost += EvictionCost(*pod);
  return cost;
}

double LifetimeRemaining(const api::NodePool& node_pool, const api::NodeClaim& node_claim,
                         Time now) {
  std::optional<std::chrono::nanoseconds> expire_after =
      node_pool.spec.template_.spec.ExpireAfter().value();
  if (!expire_after || !node_claim.metadata.creation_timestamp) return 1.0;
  const double total = std::chrono::duration<double>(*expire_after).count();
  const double age =
      std::chrono::duration<double>(now - FromEpochSeconds(*node_claim.metadata.creation_timestamp))
          .count();
  if (total <= 0) return 0.0;
  return std::clamp((total - age) / total, 0.0, 1.0);
}

double NodeDisruptionCost(const SnapshotNode& node, const api::NodePool& node_pool, Time now) {
  std::vector<const api::Pod*> pods;
  pods.reserve(node.pods.size());
  for (const Shared<api::Pod>& pod : node.pods) pods.push_back(pod.get());
  const double lifetime =
      node.node_claim ? LifetimeRemaining(node_pool, *node.node_claim, now) : 1.0;
  return ReschedulingCost(pods) * lifetime;
}

}  // namespace karpenter::disruption
