#include "scheduling/pod_constraints.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "api/model/pod_requests.h"
#include "scheduling/well_known.h"

namespace karpenter::scheduling {
namespace {

bool Unspecified(const std::string& ip) { return ip.empty() || ip == "0.0.0.0" || ip == "::"; }

template <typename Weighted>
void SortHeaviestFirst(std::vector<Weighted>& terms) {
  std::stable_sort(terms.begin(), terms.end(),
                   [](const Weighted& a, const Weighted& b) { return a.weight > b.weight; });
}

void HashCombine(size_t& seed, size_t value) {
  seed ^= value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
}

}  // namespace

bool HostPort::Conflicts(const HostPort& other) const {
  if (protocol != other.protocol || port != other.port) return false;
  return Unspecified(ip) || Unspecified(other.ip) || ip == other.ip;
}

std::vector<HostPort> HostPortsOf(const api::PodSpec& spec) {
  std::vector<HostPort> ports;
  auto collect = [&ports](const api::Container& container) {
    for (const api::ContainerPort& port : container.ports) {
      if (port.host_port == 0) continue;
      ports.push_back({port.host_ip, port.protocol.empty() ? "TCP" : port.protocol, port.host_port});
    }
  };
  for (const api::Container& container : spec.init_containers) {
    if (container.RestartsAlways()) collect(container);
  }
  for (const api::Container& container : spec.containers) collect(container);
  return ports;
}

PodConstraints ConstraintsOf(const api::Pod& pod) {
  PodConstraints c;
  c.namespace_ = pod.metadata.namespace_;
  c.labels = pod.metadata.labels;
  c.requests = api::EffectiveRequests(pod);
  c.requests.Set(core::kPods, core::Quantity::FromInt(1));
  c.node_selector = pod.spec.node_selector;
  const api::Affinity& affinity = pod.spec.affinity;
  c.required_terms = affinity.node_affinity.required;
  c.preferred_terms = affinity.node_affinity.preferred;
  SortHeaviestFirst(c.preferred_terms);
  c.required_affinity = affinity.pod_affinity.required;
  c.preferred_affinity = affinity.pod_affinity.preferred;
  SortHeaviestFirst(c.preferred_affinity);
  c.required_anti_affinity = affinity.pod_anti_affinity.required;
  c.preferred_anti_affinity = affinity.pod_anti_affinity.preferred;
  SortHeaviestFirst(c.preferred_anti_affinity);
  c.spread = pod.spec.topology_spread_constraints;
  c.tolerations = pod.spec.tolerations;
  c.host_ports = HostPortsOf(pod.spec);
  return c;
}

size_t HashOf(const PodConstraints& c) {
  std::hash<std::string> hash_string;
  size_t seed = hash_string(c.namespace_);
  for (const auto& [key, value] : c.labels) {
    HashCombine(seed, hash_string(key));
    HashCombine(seed, hash_string(value));
  }
  for (const auto& [name, quantity] : c.requests) {
    HashCombine(seed, hash_string(name));
    HashCombine(seed, static_cast<size_t>(quantity.Nano()));
  }
  for (const auto& [key, value] : c.node_selector) HashCombine(seed, hash_string(value));
  HashCombine(seed, c.required_terms.size());
  HashCombine(seed, c.preferred_terms.size());
  HashCombine(seed, c.required_affinity.size() * 31 + c.preferred_affinity.size());
  HashCombine(seed, c.required_anti_affinity.size() * 31 + c.preferred_anti_affinity.size());
  HashCombine(seed, c.spread.size());
  HashCombine(seed, c.tolerations.size());
  HashCombine(seed, c.host_ports.size());
  return seed;
}

Result<core::Requirements> SelectorRequirements(const core::Labels& node_selector,
                                                const api::NodeSelectorTerm* term) {
  core::Requirements requirements;
  for (const auto& [key, value] : node_selector) {
    requirements.Add(core::Requirement::In(NormalizeLabelKey(key), {value}));
  }
  if (term == nullptr) return requirements;
  for (const core::NodeSelectorRequirement& wire : term->match_expressions) {
    core::NodeSelectorRequirement normalized = wire;
    normalized.key = NormalizeLabelKey(wire.key);
    Result<core::Requirement> requirement = core::Requirement::From(normalized);
    if (!requirement) return std::unexpected(requirement.error());
    requirements.Add(*requirement);
  }
  return requirements;
}

Result<core::Requirements> PodRequirements(const PodConstraints& c, bool strict) {
  const api::NodeSelectorTerm* first = c.required_terms.empty() ? nullptr : &c.required_terms[0];
  Result<core::Requirements> requirements = SelectorRequirements(c.node_selector, first);
  if (!requirements || strict || c.preferred_terms.empty()) return requirements;
  Result<core::Requirements> preferred =
      SelectorRequirements({}, &c.preferred_terms.front().preference);
  if (!preferred) return preferred;
  requirements->Add(*preferred);
  return requirements;
}

PodClass MakePodClass(int id, PodConstraints constraints, const ResourceIndex& resources) {
  PodClass pod_class;
  pod_class.id = id;
  pod_class.constraints = std::move(constraints);
  pod_class.requests = ToDense(pod_class.constraints.requests, resources);
  Result<core::Requirements> all = PodRequirements(pod_class.constraints, false);
  Result<core::Requirements> strict = PodRequirements(pod_class.constraints, true);
  if (!all || !strict) {
    pod_class.invalid = (!strict ? strict.error() : all.error()).message;
    return pod_class;
  }
  pod_class.requirements = std::move(*all);
  pod_class.strict_requirements = std::move(*strict);
  return pod_class;
}

}  // namespace karpenter::scheduling
