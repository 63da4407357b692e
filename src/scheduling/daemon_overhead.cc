#include "scheduling/daemon_overhead.h"

namespace karpenter::scheduling {

DaemonPod PrepareDaemon(const api::DaemonSet& daemon_set) {
  DaemonPod daemon;
  daemon.daemon_set = &daemon_set;
  api::Pod pod;
  pod.metadata = daemon_set.pod_template.metadata;
  pod.metadata.namespace_ = daemon_set.metadata.namespace_;
  pod.spec = daemon_set.pod_template.spec;
  daemon.constraints = ConstraintsOf(pod);
  core::Toleration prefer;
  prefer.op = core::TolerationOperator::Exists;
  prefer.effect = core::TaintEffect::PreferNoSchedule;
  daemon.constraints.tolerations.push_back(prefer);
  const PodConstraints& c = daemon.constraints;
  if (c.required_terms.empty()) {
    if (auto r = SelectorRequirements(c.node_selector, nullptr)) daemon.alternatives.push_back(*r);
  }
  for (const api::NodeSelectorTerm& term : c.required_terms) {
    if (auto r = SelectorRequirements(c.node_selector, &term)) daemon.alternatives.push_back(*r);
  }
  return daemon;
}

bool DaemonRunsOn(const DaemonPod& daemon, const std::vector<core::Taint>& taints,
                  const core::Requirements& node, const core::AllowUndefinedKeys& allow) {
  if (!core::ToleratesAll(daemon.constraints.tolerations, taints)) return false;
  for (const core::Requirements& alternative : daemon.alternatives) {
    if (node.Compatible(alternative, allow)) return true;
  }
  return false;
}

}  // namespace karpenter::scheduling
