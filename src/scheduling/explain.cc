#include "scheduling/explain.h"

#include <cstddef>

namespace karpenter::scheduling {

std::optional<std::string> HostPortConflict(const std::vector<HostPort>& wanted,
                                            const std::vector<HostPort>& used) {
  for (const HostPort& port : wanted) {
    for (const HostPort& other : used) {
      if (port.Conflicts(other)) {
        return "host port " + std::to_string(port.port) + "/" + port.protocol +
               " is already in use";
      }
    }
  }
  // A pod may also conflict with itself (two containers on one port): the API server rejects
  // that, so it is not checked here.
  return std::nullopt;
}

std::string ExplainIncompatible(const core::Requirements& node, const core::Requirements& pod,
                                const core::AllowUndefinedKeys& allow, std::string_view node_desc) {
  for (const auto& [key, requirement] : pod) {
    core::Operator op = requirement.EffectiveOperator();
    bool excused = op == core::Operator::NotIn || op == core::Operator::DoesNotExist;
    if (!node.Has(key)) {
      if (allow.contains(key) || excused) continue;
      return "requirement \"" + requirement.ToString() + "\" needs label \"" + key + "\", which " +
             std::string(node_desc) + " does not define";
    }
    core::Requirements one_node;
    one_node.Add(node.Get(key));
    core::Requirements one_pod;
    one_pod.Add(requirement);
    if (!one_node.Intersects(one_pod)) {
      return "requirement \"" + requirement.ToString() + "\" conflicts with " +
             std::string(node_desc) + "'s \"" + node.Get(key).ToString() + "\"";
    }
  }
  return "incompatible requirements";
}

std::string JoinReasons(const std::vector<std::string>& reasons) {
  std::string out;
  for (const std::string& reason : reasons) {
    if (!out.empty()) out += "; ";
    out += reason;
  }
  return out;
}

}  // namespace karpenter::scheduling

namespace karpenter::scheduling {
namespace {

std::string Examples(const std::vector<std::string>& names, size_t count) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  if (count > names.size()) out += ", ...";
  return out;
}

std::string Plural(size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string Headline(const PodTrail& trail) {
  std::string attempts = " (" + Plural(static_cast<size_t>(trail.attempts), "attempt", "attempts") + ")";
  switch (trail.outcome) {
    case TrailOutcome::kExistingNode:
      return "Pod " + trail.pod + ": placed on existing node " + trail.node + attempts;
    case TrailOutcome::kInFlightNodeClaim:
      return "Pod " + trail.pod + ": added to nodeclaim " + std::to_string(trail.node_claim) +
             " (NodePool \"" + trail.node_pool + "\"), opened earlier in this run" + attempts;
    case TrailOutcome::kNewNodeClaim:
      return "Pod " + trail.pod + ": opened nodeclaim " + std::to_string(trail.node_claim) +
             " from NodePool \"" + trail.node_pool + "\"" + attempts;
    case TrailOutcome::kUnschedulable:
      break;
  }
  return "Pod " + trail.pod + ": unschedulable" + attempts;
}

void FormatPool(const NodePoolCheck& pool, std::vector<std::string>& lines) {
  lines.push_back("  " + pool.node_pool + " (weight " + std::to_string(pool.weight) + "): " +
                  std::to_string(pool.catalog_types) + " instance types, " +
                  std::to_string(pool.pool_types) + " allowed by its requirements");
  if (!pool.topology.empty()) lines.push_back("    topology allows " + pool.topology);
  for (const EliminationGroup& group : pool.eliminated) {
    lines.push_back("    " + Plural(group.count, "type", "types") + ": " + group.reason + " (" +
                    Examples(group.examples, group.count) + ")");
  }
  if (pool.check.empty() || pool.check == "instance types") {
    if (pool.pool_types > 0) {
      lines.push_back("    " + Plural(pool.remaining, "type", "types") + " left" +
                      (pool.cheapest.empty() ? "" : ", cheapest first: " +
                                                        Examples(pool.cheapest, pool.remaining)));
    }
  }
  lines.push_back(pool.check.empty() ? "    => a new NodeClaim would take the pod"
                                     : "    => excluded by " + pool.check + ": " + pool.reason);
}

}  // namespace

std::vector<std::string> FormatTrail(const PodTrail& trail) {
  std::vector<std::string> lines = {Headline(trail)};
  if (trail.outcome == TrailOutcome::kUnschedulable) lines.push_back("  reason: " + trail.reason);
  for (const std::string& relaxation : trail.relaxations) {
    lines.push_back("  relaxed before the last attempt: " + relaxation);
  }
  if (!trail.existing_nodes.empty()) {
    lines.push_back("Existing nodes, in the order tried:");
    for (const NodeCheck& node : trail.existing_nodes) {
      lines.push_back("  " + node.node + ": " +
                      (node.check.empty() ? "takes the pod" : node.check + ": " + node.reason));
    }
  }
  if (trail.in_flight_tried > 0) {
    lines.push_back("NodeClaims of this run: " + std::to_string(trail.in_flight_tried) +
                    " tried, fewest pods first");
    for (const EliminationGroup& group : trail.in_flight) {
      lines.push_back("  " + std::to_string(group.count) + " refused: " + group.reason + " (" +
                      Examples(group.examples, group.count) + ")");
    }
  }
  if (!trail.node_pools.empty()) {
    lines.push_back("NodePools, by weight then name:");
    for (const NodePoolCheck& pool : trail.node_pools) FormatPool(pool, lines);
  }
  return lines;
}

}  // namespace karpenter::scheduling
