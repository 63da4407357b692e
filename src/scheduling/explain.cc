#include "scheduling/explain.h"

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
