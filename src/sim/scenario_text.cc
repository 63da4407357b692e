// Scenario steps and checks in words, for events and messages.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "core/duration.h"
#include "sim/scenario.h"

namespace karpenter::sim {

std::string DescribeAction(const StepAction& action) {
  struct Describer {
    std::string operator()(const ScaleAction& a) const {
      return fmt::format("scale {} {}/{} to {} replicas", a.target.kind, a.target.namespace_,
                         a.target.name, a.replicas);
    }
    std::string operator()(const ApplyAction& a) const {
      return fmt::format("apply {}", fmt::join(a.names, ", "));
    }
    std::string operator()(const DeleteAction& a) const {
      std::vector<std::string> names;
      for (const ObjectRef& t : a.targets) {
        names.push_back(t.namespace_.empty() ? t.kind + "/" + t.name
                                             : t.kind + "/" + t.namespace_ + "/" + t.name);
      }
      return fmt::format("delete {}", fmt::join(names, ", "));
    }
    std::string operator()(const InsufficientCapacityFault& f) const {
      return fmt::format("{}insufficient capacity for {} {} in {}", f.clear ? "clear " : "",
                         catalog::ToString(f.capacity_type), f.instance_type, f.zone);
    }
    std::string operator()(const LaunchFailureFault& f) const {
      return fmt::format("fail the next {} launch(es): {}", f.count, f.message);
    }
    std::string operator()(const NeverRegisterFault& f) const {
      if (!f.node_claim.empty()) return "NodeClaim " + f.node_claim + " never registers";
      return fmt::format("the next {} launched node(s) never register", f.count);
    }
    std::string operator()(const SlowRegistrationFault& f) const {
      return "nodes launched from now on register after " +
             core::FormatGoDuration(std::chrono::duration_cast<std::chrono::nanoseconds>(f.delay));
    }
    std::string operator()(const InterruptFault& f) const {
      if (!f.node.empty()) return "interrupt node " + f.node;
      return fmt::format("interrupt {} spot instance(s)", f.nodes);
    }
    std::string operator()(const ExpectAction& e) const {
      std::vector<std::string> checks;
      for (const Check& c : e.checks) checks.push_back(c.ToString());
      return fmt::format("expect {}", fmt::join(checks, ", "));
    }
  };
  return std::visit(Describer{}, action);
}

std::string Check::ToString() const {
  const std::string what = deployment.empty() ? name : name + "(" + deployment + ")";
  if (min && max && *min == *max) return fmt::format("{} = {}", what, *min);
  if (min && max) return fmt::format("{} in [{}, {}]", what, *min, *max);
  if (max) return fmt::format("{} <= {}", what, *max);
  return fmt::format("{} >= {}", what, min.value_or(0));
}

bool IsCheck(const StepAction& action) { return std::holds_alternative<ExpectAction>(action); }

}  // namespace karpenter::sim
