// TopologyBase: the cluster's half of the topology, shared by the runs over one prepared
// cluster. Seeding a group walks every existing node once; the pods it counts are found
// through a by-namespace index rather than by testing every pod against every group.
#include <algorithm>
#include <utility>

#include "scheduling/topology.h"
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

TopologyBase::TopologyBase(const std::vector<ExistingNode>& existing,
                           std::vector<DomainSource> sources,
                           const std::map<std::string, core::Labels>& namespace_labels)
    : sources_(std::move(sources)), namespace_labels_(namespace_labels) {
  existing_.reserve(existing.size());
  for (size_t n = 0; n < existing.size(); ++n) {
    const ExistingNode& node = existing[n];
    existing_.push_back({&node, std::nullopt});
    for (const api::Pod* pod : node.pods) {
      if (IgnoredForTopology(*pod)) continue;
      const BoundPod bound{static_cast<uint32_t>(n), pod};
      pods_.push_back(bound);
      pods_by_namespace_[pod->metadata.namespace_].push_back(bound);
    }
  }
  FindRunningInverse();
}

void TopologyBase::FindRunningInverse() {
  // Running pods' required anti-affinity keeps matching pods out of their domains.
  uint32_t position = 0;
  for (const BoundPod& bound : pods_) {
    const api::Pod& pod = *bound.pod;
    for (const api::PodAffinityTerm& term : pod.spec.affinity.pod_anti_affinity.required) {
      TopologyGroup group = AffinityGroup(TopologyType::kAntiAffinity, pod.metadata.namespace_,
                                          pod.metadata.labels, term);
      std::string identity = group.Identity();
      auto [it, inserted] = running_ids_.try_emplace(identity, running_inverse_.size());
      if (inserted) running_inverse_.push_back({std::move(identity), std::move(group), {}});
      running_inverse_[it->second].owners.emplace_back(position++, bound.node);
    }
  }
  for (RunningInverse& running : running_inverse_) {
    TopologyGroup& group = running.group;
    const DomainCounts counts = Seed(group, running.identity, Seeding::kCounted, nullptr);
    // The group's own entries are the seeded ones plus its owners' records. A node with the
    // domain registered it while seeding already (no node filter), so records add no source.
    DomainCounts::Base own = counts.seeded();
    for (const auto& [position, node] : running.owners) {
      const std::string* domain = DomainOf(node, group.key);
      if (domain == nullptr) continue;
      auto it = own.find(*domain);
      if (it == own.end()) it = own.emplace(*domain, *counts.Seeded(*domain)).first;
      ++it->second.count;
    }
    group.domains =
        DomainCounts(counts.registry(), std::make_shared<const DomainCounts::Base>(std::move(own)));
  }
}

const std::map<std::string, std::vector<size_t>>& TopologyBase::Universe(const std::string& key) {
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

std::vector<int32_t> TopologyBase::SelectedPerNode(const TopologyGroup& group) const {
  std::vector<int32_t> selected(existing_.size(), 0);
  if (!group.selector) return selected;
  auto count = [&](const std::vector<BoundPod>& pods) {
    for (const BoundPod& bound : pods) {
      if (group.Selects(bound.pod->metadata.namespace_, bound.pod->metadata.labels)) {
        ++selected[bound.node];
      }
    }
  };
  if (group.all_namespaces) {
    count(pods_);
  } else {
    for (const std::string& ns : group.namespaces) {
      if (auto it = pods_by_namespace_.find(ns); it != pods_by_namespace_.end()) count(it->second);
    }
  }
  return selected;
}

const std::shared_ptr<const DomainCounts::Base>& TopologyBase::Registry(const std::string& key,
                                                                        Seeding seeding) {
  std::string cache_key = (seeding == Seeding::kCounted ? "c" : "r") + key;
  auto [it, inserted] = registries_.try_emplace(std::move(cache_key));
  if (!inserted) return it->second;
  DomainCounts::Base domains;
  for (const auto& [domain, providers] : Universe(key)) domains[domain].sources = 1;
  for (size_t n = 0; n < existing_.size(); ++n) {
    // Without a node filter every node with the key registers its domain (kCounted); inverse
    // groups a pending pod creates register hostnames only (kRegistered).
    if (const std::string* domain = RegistryShareOf(key, seeding, n)) ++domains[*domain].sources;
  }
  it->second = std::make_shared<const DomainCounts::Base>(std::move(domains));
  return it->second;
}

DomainCounts TopologyBase::Seed(const TopologyGroup& group, const std::string& identity,
                                Seeding seeding, const PodConstraints* spread_owner) {
  std::string cache_key = (seeding == Seeding::kCounted ? "c" : "r") + identity;
  if (auto found = seeded_.find(cache_key); found != seeded_.end()) {
    return DomainCounts(found->second.first, found->second.second);
  }
  std::shared_ptr<const DomainCounts::Base> registry;
  DomainCounts::Base domains;
  if (seeding == Seeding::kRegistered || !group.filter.active) {
    // Every node counts alike: the key's registry is shared, and only the domains with
    // selected pods are the group's own.
    registry = Registry(group.key, seeding);
    if (seeding == Seeding::kCounted) {
      const std::vector<int32_t> selected = SelectedPerNode(group);
      for (size_t n = 0; n < existing_.size(); ++n) {
        if (selected[n] == 0) continue;
        const std::string* domain = DomainOf(n, group.key);
        if (domain == nullptr) continue;
        auto [entry, inserted] = domains.try_emplace(*domain, registry->at(*domain));
        entry->second.count += selected[n];
      }
    }
  } else {
    for (const auto& [domain, providers] : Universe(group.key)) {
      bool usable = true;
      if (spread_owner != nullptr && group.filter.honor_taints) {
        // nodeTaintsPolicy Honor: a domain counts only if some NodePool offering it has
        // taints the pod tolerates.
        usable = std::any_of(providers.begin(), providers.end(), [&](size_t s) {
          return core::ToleratesAll(spread_owner->tolerations, sources_[s].taints).has_value();
        });
      }
      if (usable) domains[domain].sources = 1;
    }
    const std::vector<int32_t> selected = SelectedPerNode(group);
    for (size_t n = 0; n < existing_.size(); ++n) {
      Share share = ShareOf(group, seeding, n, /*count_pods=*/false);
      if (share.domain == nullptr) continue;
      DomainCounts::Seed& seed = domains[*share.domain];
      ++seed.sources;
      if (share.counted) seed.count += selected[n];
    }
  }
  auto seeded = std::make_shared<const DomainCounts::Base>(std::move(domains));
  seeded_.emplace(std::move(cache_key), std::make_pair(registry, seeded));
  return DomainCounts(std::move(registry), std::move(seeded));
}

const std::string* TopologyBase::RegistryShareOf(const std::string& key, Seeding seeding,
                                                 size_t n) const {
  if (seeding == Seeding::kRegistered &&
      (key != kLabelHostname || existing_[n].node->marked_for_deletion)) {
    return nullptr;
  }
  return DomainOf(n, key);
}

int32_t TopologyBase::RunningIndex(const std::string& identity) const {
  auto it = running_ids_.find(identity);
  return it == running_ids_.end() ? -1 : static_cast<int32_t>(it->second);
}

std::vector<uint32_t> TopologyBase::RunningSelecting(const std::string& ns,
                                                     const core::Labels& labels) const {
  std::vector<uint32_t> selecting;
  for (size_t i = 0; i < running_inverse_.size(); ++i) {
    if (running_inverse_[i].group.Selects(ns, labels)) {
      selecting.push_back(static_cast<uint32_t>(i));
    }
  }
  return selecting;
}

const std::string* TopologyBase::DomainOf(size_t n, const std::string& key) const {
  const ExistingNode& node = *existing_[n].node;
  if (auto it = node.labels.find(key); it != node.labels.end()) return &it->second;
  if (key == kLabelHostname) return &node.name;
  return nullptr;
}

const core::Requirements& TopologyBase::Requirements(size_t n) const {
  ExistingView& view = existing_[n];
  if (!view.requirements) {
    view.requirements = core::Requirements::FromNodeSelector(view.node->labels);
  }
  return *view.requirements;
}

TopologyBase::Share TopologyBase::ShareOf(const TopologyGroup& group, Seeding seeding, size_t n,
                                          bool count_pods) const {
  const ExistingNode& node = *existing_[n].node;
  Share share;
  if (seeding == Seeding::kRegistered) {
    share.domain = RegistryShareOf(group.key, seeding, n);
    return share;
  }
  const std::string* domain = DomainOf(n, group.key);
  if (domain == nullptr) return share;
  const bool registers = group.key == kLabelHostname && !node.marked_for_deletion;
  // A filter whose terms are all empty reads nothing of the node's labels: those are turned
  // into requirements only for the filters that need them.
  const TopologyNodeFilter& filter = group.filter;
  const bool reads_labels =
      filter.active && filter.honor_affinity &&
      std::any_of(filter.terms.begin(), filter.terms.end(),
                  [](const core::Requirements& term) { return !term.empty(); });
  static const core::Requirements kNoLabels;
  if (!filter.Matches(node.taints, reads_labels ? Requirements(n) : kNoLabels, {})) {
    if (registers) share.domain = domain;
    return share;
  }
  share.domain = domain;
  share.counted = true;
  if (!count_pods) return share;
  for (const api::Pod* pod : node.pods) {
    if (IgnoredForTopology(*pod)) continue;
    if (group.Selects(pod->metadata.namespace_, pod->metadata.labels)) ++share.count;
  }
  return share;
}

TopologyGroup TopologyBase::SpreadGroup(const PodConstraints& c,
                                        const api::TopologySpreadConstraint& constraint) const {
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

TopologyGroup TopologyBase::AffinityGroup(TopologyType type, const std::string& ns,
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

}  // namespace karpenter::scheduling
