// Topology's per-placement half: the domain requirements a pod's topology imposes on a node,
// recording a placement, and the words for a topology failure.
#include <string>

#include "scheduling/topology.h"
#include "scheduling/well_known.h"

namespace karpenter::scheduling {

std::expected<core::Requirements, TopologyFailure> Topology::AddRequirements(
    const PodClass& pod_class, const std::vector<core::Taint>& /*taints*/,
    const core::Requirements& node, const core::AllowUndefinedKeys& /*allow*/, bool explain) {
  core::Requirements out;
  const PodConstraints& c = pod_class.constraints;
  auto apply = [&](const TopologyGroup& group, bool inverse) -> std::optional<TopologyFailure> {
    core::Requirement pod_domains = pod_class.strict_requirements.Get(group.key);
    core::Requirement node_domains = node.Get(group.key);
    bool self = group.type != TopologyType::kAntiAffinity && group.Selects(c.namespace_, c.labels);
    core::Requirement domains = group.Next(self, pod_domains, node_domains);
    if (domains.Len() == 0) {
      bool permanent = group.type == TopologyType::kAntiAffinity ||
                       (group.type == TopologyType::kSpread && group.key == kLabelHostname);
      return TopologyFailure{
          explain ? Describe(group, inverse, pod_domains, node_domains) : std::string(),
          permanent};
    }
    out.Add(domains);
    return std::nullopt;
  };
  for (int id : pod_class.owned_groups) {
    if (auto failure = apply(groups_[id], false)) return std::unexpected(*failure);
  }
  for (int id : SelectingGroups(pod_class).inverse) {
    if (auto failure = apply(InverseGroup(id), true)) return std::unexpected(*failure);
  }
  return out;
}

void Topology::Record(const PodClass& pod_class, const std::vector<core::Taint>& taints,
                      const core::Requirements& requirements,
                      const core::AllowUndefinedKeys& allow) {
  for (int id : SelectingGroups(pod_class).regular) {
    TopologyGroup& group = groups_[id];
    if (!requirements.Has(group.key)) continue;
    if (!group.filter.Matches(taints, requirements, allow)) continue;
    core::Requirement domains = requirements.Get(group.key);
    if (domains.complement()) continue;
    if (group.type == TopologyType::kAntiAffinity) {
      // The pod may land in any of these domains: block them all.
      for (const std::string& domain : domains.Values()) group.Record(domain);
    } else if (domains.Len() == 1) {
      group.Record(domains.Values().front());
    }
  }
  for (int id : pod_class.owned_inverse_groups) {
    TopologyGroup& group = InverseGroup(id);
    if (!requirements.Has(group.key)) continue;
    core::Requirement domains = requirements.Get(group.key);
    if (domains.complement()) continue;
    for (const std::string& domain : domains.Values()) group.Record(domain);
  }
}

std::string Topology::Describe(const TopologyGroup& group, bool inverse,
                               const core::Requirement& pod, const core::Requirement& /*node*/) const {
  if (inverse) {
    return "anti-affinity of already placed pods on " + group.key +
           " excludes every allowed domain";
  }
  switch (group.type) {
    case TopologyType::kAffinity:
      return "pod affinity on " + group.key + " has no allowed domain with a matching pod";
    case TopologyType::kAntiAffinity:
      return "pod anti-affinity on " + group.key + ": every allowed domain has a matching pod";
    case TopologyType::kSpread:
      break;
  }
  std::string counts;
  int shown = 0;
  group.domains.ForEach([&](const std::string& domain, int32_t count) {
    if (shown > 5 || !pod.Has(domain)) return;
    if (shown++ == 5) {
      counts += ", ...";
      return;
    }
    counts += (counts.empty() ? "" : ", ") + domain + "=" + std::to_string(count);
  });
  std::string text = "topology spread maxSkew=" + std::to_string(group.max_skew) + " on " +
                     group.key + " would be exceeded";
  if (!counts.empty() && group.key != kLabelHostname) text += " (counts " + counts + ")";
  return text;
}

}  // namespace karpenter::scheduling
