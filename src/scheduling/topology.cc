#include "scheduling/topology.h"

#include <algorithm>
#include <utility>

#include "scheduling/well_known.h"

namespace karpenter::scheduling {
namespace {

void AddSelectorKeys(std::optional<core::LabelSelector>& selector, const core::Labels& labels,
                     const std::vector<std::string>& keys, core::LabelSelectorOperator op) {
  if (!selector) return;
  for (const std::string& key : keys) {
    auto it = labels.find(key);
    if (it == labels.end()) continue;
    selector->match_expressions.push_back({key, op, {it->second}});
  }
}

}  // namespace

bool IgnoredForTopology(const api::Pod& pod) {
  return pod.status.phase == "Succeeded" || pod.status.phase == "Failed" ||
         pod.metadata.deletion_timestamp.has_value();
}

std::optional<std::string> NodeDomain(const ExistingNode& node, const std::string& key) {
  auto it = node.labels.find(key);
  if (it != node.labels.end()) return it->second;
  if (key == kLabelHostname) return node.name;
  return std::nullopt;
}

Topology::Topology(const std::vector<ExistingNode>& existing, std::vector<DomainSource> sources,
                   const std::map<std::string, core::Labels>& namespace_labels)
    : sources_(std::move(sources)), namespace_labels_(namespace_labels) {
  for (const ExistingNode& node : existing) {
    existing_.push_back({&node, core::Requirements::FromNodeSelector(node.labels)});
  }
  // Running pods' required anti-affinity keeps matching pods out of their domains.
  for (const ExistingNode& node : existing) {
    for (const api::Pod* pod : node.pods) {
      if (IgnoredForTopology(*pod)) continue;
      for (const api::PodAffinityTerm& term : pod->spec.affinity.pod_anti_affinity.required) {
        TopologyGroup group = AffinityGroup(TopologyType::kAntiAffinity, pod->metadata.namespace_,
                                            pod->metadata.labels, term);
        std::string identity = group.Identity();
        auto [it, inserted] = inverse_ids_.try_emplace(identity, static_cast<int>(inverse_.size()));
        if (inserted) {
          SeedDomains(group, nullptr);
          inverse_.push_back(std::move(group));
          ++generation_;
        }
        if (std::optional<std::string> domain = NodeDomain(node, term.topology_key)) {
          inverse_[it->second].Record(*domain);
        }
      }
    }
  }
}

const std::map<std::string, std::vector<size_t>>& Topology::Universe(const std::string& key) {
  auto found = universe_.find(key);
  if (found != universe_.end()) return found->second;
  std::map<std::string, std::vector<size_t>>& domains = universe_[key];
  for (size_t s = 0; s < sources_.size(); ++s) {
    const DomainSource& source = sources_[s];
    std::optional<core::Requirement> pool;
    if (source.requirements->Has(key)) pool = source.requirements->Get(key);
    for (const catalog::InstanceType* type : source.types) {
      std::optional<core::Requirement> combined = type->RequirementFor(key);
      if (pool) combined = combined ? combined->Intersection(*pool) : *pool;
      if (!combined || combined->complement()) continue;
      for (const std::string& value : combined->Values()) {
        std::vector<size_t>& providers = domains[value];
        if (providers.empty() || providers.back() != s) providers.push_back(s);
      }
    }
  }
  return domains;
}

void Topology::SeedDomains(TopologyGroup& group, const PodConstraints* spread_owner) {
  for (const auto& [domain, providers] : Universe(group.key)) {
    bool usable = true;
    if (spread_owner != nullptr && group.filter.honor_taints) {
      // nodeTaintsPolicy Honor: a domain counts only if some NodePool offering it has taints
      // the pod tolerates.
      usable = std::any_of(providers.begin(), providers.end(), [&](size_t s) {
        return core::ToleratesAll(spread_owner->tolerations, sources_[s].taints).has_value();
      });
    }
    if (usable) group.Register(domain);
  }
  CountExisting(group);
}

void Topology::CountExisting(TopologyGroup& group) const {
  for (const ExistingView& view : existing_) {
    const ExistingNode& node = *view.node;
    std::optional<std::string> domain = NodeDomain(node, group.key);
    if (!domain) continue;
    if (group.key == kLabelHostname && !node.marked_for_deletion) group.Register(*domain);
    if (!group.filter.Matches(node.taints, view.requirements, {})) continue;
    group.Register(*domain);
    for (const api::Pod* pod : node.pods) {
      if (IgnoredForTopology(*pod)) continue;
      if (group.Selects(pod->metadata.namespace_, pod->metadata.labels)) group.Record(*domain);
    }
  }
}

TopologyGroup Topology::SpreadGroup(const PodConstraints& c,
                                    const api::TopologySpreadConstraint& constraint) {
  TopologyGroup group;
  group.type = TopologyType::kSpread;
  group.key = constraint.topology_key;
  group.namespaces = {c.namespace_};
  group.selector = constraint.label_selector;
  AddSelectorKeys(group.selector, c.labels, constraint.match_label_keys,
                  core::LabelSelectorOperator::In);
  group.max_skew = constraint.max_skew;
  group.min_domains = constraint.min_domains;
  TopologyNodeFilter& filter = group.filter;
  filter.active = true;
  filter.honor_affinity =
      constraint.EffectiveNodeAffinityPolicy() == api::NodeInclusionPolicy::kHonor;
  filter.honor_taints = constraint.EffectiveNodeTaintsPolicy() == api::NodeInclusionPolicy::kHonor;
  if (filter.honor_affinity) {
    if (c.required_terms.empty()) {
      if (auto r = SelectorRequirements(c.node_selector, nullptr)) filter.terms.push_back(*r);
    }
    for (const api::NodeSelectorTerm& term : c.required_terms) {
      if (auto r = SelectorRequirements(c.node_selector, &term)) filter.terms.push_back(*r);
    }
  }
  if (filter.honor_taints) filter.tolerations = c.tolerations;
  return group;
}

TopologyGroup Topology::AffinityGroup(TopologyType type, const std::string& ns,
                                      const core::Labels& labels,
                                      const api::PodAffinityTerm& term) const {
  TopologyGroup group;
  group.type = type;
  group.key = term.topology_key;
  group.selector = term.label_selector;
  AddSelectorKeys(group.selector, labels, term.match_label_keys, core::LabelSelectorOperator::In);
  AddSelectorKeys(group.selector, labels, term.mismatch_label_keys,
                  core::LabelSelectorOperator::NotIn);
  group.namespaces.insert(term.namespaces.begin(), term.namespaces.end());
  if (term.namespace_selector) {
    if (term.namespace_selector->IsEmpty()) {
      group.all_namespaces = true;
    } else {
      for (const auto& [name, ns_labels] : namespace_labels_) {
        if (term.namespace_selector->Matches(ns_labels)) group.namespaces.insert(name);
      }
    }
  } else if (term.namespaces.empty()) {
    group.namespaces.insert(ns);
  }
  return group;
}

void Topology::AddClass(PodClass& pod_class) {
  const PodConstraints& c = pod_class.constraints;
  auto intern = [this](TopologyGroup group, const PodConstraints* owner) {
    std::string identity = group.Identity();
    auto [it, inserted] = group_ids_.try_emplace(identity, static_cast<int>(groups_.size()));
    if (inserted) {
      SeedDomains(group, owner);
      groups_.push_back(std::move(group));
      ++generation_;
    }
    return it->second;
  };
  pod_class.owned_groups.clear();
  pod_class.owned_inverse_groups.clear();
  for (const api::TopologySpreadConstraint& constraint : c.spread) {
    pod_class.owned_groups.push_back(intern(SpreadGroup(c, constraint), &c));
  }
  auto affinity = [&](TopologyType type, const api::PodAffinityTerm& term) {
    pod_class.owned_groups.push_back(
        intern(AffinityGroup(type, c.namespace_, c.labels, term), nullptr));
  };
  for (const auto& term : c.required_affinity) affinity(TopologyType::kAffinity, term);
  for (const auto& term : c.preferred_affinity) affinity(TopologyType::kAffinity, term.term);
  for (const auto& term : c.required_anti_affinity) affinity(TopologyType::kAntiAffinity, term);
  for (const auto& term : c.preferred_anti_affinity) {
    affinity(TopologyType::kAntiAffinity, term.term);
  }
  for (const api::PodAffinityTerm& term : c.required_anti_affinity) {
    TopologyGroup group = AffinityGroup(TopologyType::kAntiAffinity, c.namespace_, c.labels, term);
    std::string identity = group.Identity();
    auto [it, inserted] = inverse_ids_.try_emplace(identity, static_cast<int>(inverse_.size()));
    if (inserted) {
      for (const auto& [domain, unused] : Universe(group.key)) group.Register(domain);
      for (const ExistingView& view : existing_) {
        if (group.key != kLabelHostname || view.node->marked_for_deletion) continue;
        group.Register(*NodeDomain(*view.node, group.key));
      }
      inverse_.push_back(std::move(group));
      ++generation_;
    }
    pod_class.owned_inverse_groups.push_back(it->second);
  }
}

const Topology::Selecting& Topology::SelectingGroups(const PodClass& pod_class) {
  if (selecting_.size() <= static_cast<size_t>(pod_class.id)) selecting_.resize(pod_class.id + 1);
  Selecting& entry = selecting_[pod_class.id];
  if (entry.generation == generation_) return entry;
  entry = Selecting{generation_, {}, {}};
  const PodConstraints& c = pod_class.constraints;
  for (size_t i = 0; i < groups_.size(); ++i) {
    if (groups_[i].Selects(c.namespace_, c.labels)) entry.regular.push_back(static_cast<int>(i));
  }
  for (size_t i = 0; i < inverse_.size(); ++i) {
    if (inverse_[i].Selects(c.namespace_, c.labels)) entry.inverse.push_back(static_cast<int>(i));
  }
  return entry;
}

bool Topology::Constrains(const PodClass& pod_class) {
  return !pod_class.owned_groups.empty() || !SelectingGroups(pod_class).inverse.empty();
}

void Topology::Register(std::string_view key, const std::string& domain) {
  for (TopologyGroup& group : groups_) {
    if (group.key == key) group.Register(domain);
  }
  for (TopologyGroup& group : inverse_) {
    if (group.key == key) group.Register(domain);
  }
}

void Topology::Unregister(std::string_view key, const std::string& domain) {
  for (TopologyGroup& group : groups_) {
    if (group.key == key) group.Unregister(domain);
  }
  for (TopologyGroup& group : inverse_) {
    if (group.key == key) group.Unregister(domain);
  }
}

}  // namespace karpenter::scheduling
