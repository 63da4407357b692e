// Topology: one run's groups, seeded from the shared TopologyBase minus the nodes the run
// leaves out, then counted up as the run places pods.
#include "scheduling/topology.h"

#include <algorithm>
#include <utility>

#include "scheduling/well_known.h"

namespace karpenter::scheduling {

Topology::Topology(TopologyBase& base, std::vector<size_t> removed)
    : base_(base), removed_(std::move(removed)) {
  std::sort(removed_.begin(), removed_.end());
  std::vector<uint8_t> gone(removed_.empty() ? 0 : base.node_count(), 0);
  for (size_t n : removed_) gone[n] = 1;
  // Running pods' inverse groups exist when some owner still runs, in the order of the first
  // such owner (the order the pods are listed in).
  std::vector<std::pair<uint32_t, const TopologyBase::RunningInverse*>> present;
  for (const TopologyBase::RunningInverse& running : base.running_inverse()) {
    for (const auto& [position, node] : running.owners) {
      if (gone.empty() || !gone[node]) {
        present.emplace_back(position, &running);
        break;
      }
    }
  }
  std::sort(present.begin(), present.end());
  running_ids_.assign(base.running_inverse().size(), -1);
  for (const auto& [position, running] : present) {
    running_ids_[running - base.running_inverse().data()] = static_cast<int32_t>(inverse_.size());
    inverse_.push_back({running, std::nullopt});
    ++generation_;
  }
}

void Topology::TakeOutRemoved(TopologyGroup& group, Seeding seeding,
                              const TopologyBase::RunningInverse* running) const {
  if (removed_.empty()) return;
  struct Change {
    int32_t count = 0;
    int32_t sources = 0;
  };
  std::map<std::string, Change> changes;
  for (size_t n : removed_) {
    TopologyBase::Share share = base_.ShareOf(group, seeding, n);
    if (share.domain == nullptr) continue;
    Change& change = changes[*share.domain];
    ++change.sources;
    change.count += share.count;
    if (running == nullptr) continue;
    for (const auto& [position, node] : running->owners) change.count += node == n ? 1 : 0;
  }
  for (const auto& [domain, change] : changes) {
    const DomainCounts::Seed& seed = *group.domains.Seeded(domain);
    if (seed.sources - change.sources <= 0) {
      group.domains.Override(domain, std::nullopt);
    } else {
      group.domains.Override(domain, seed.count - change.count);
    }
  }
}

TopologyGroup& Topology::InverseGroup(int id) {
  Inverse& inverse = inverse_[id];
  if (!inverse.group) {
    inverse.group = inverse.running->group;
    TakeOutRemoved(*inverse.group, Seeding::kCounted, inverse.running);
    // The group has existed since the run began: it saw every registration so far.
    for (const Registration& registration : registrations_) {
      if (registration.key != inverse.group->key) continue;
      if (registration.add) {
        inverse.group->Register(registration.domain);
      } else {
        inverse.group->Unregister(registration.domain);
      }
    }
  }
  return *inverse.group;
}

int Topology::Intern(TopologyGroup group, const PodConstraints* spread_owner) {
  std::string identity = group.Identity();
  auto [it, inserted] = group_ids_.try_emplace(identity, static_cast<int>(groups_.size()));
  if (inserted) {
    group.domains = base_.Seed(group, identity, Seeding::kCounted, spread_owner);
    TakeOutRemoved(group, Seeding::kCounted, nullptr);
    groups_.push_back(std::move(group));
    ++generation_;
  }
  return it->second;
}

void Topology::AddClass(PodClass& pod_class) {
  const PodConstraints& c = pod_class.constraints;
  pod_class.owned_groups.clear();
  pod_class.owned_inverse_groups.clear();
  for (const api::TopologySpreadConstraint& constraint : c.spread) {
    pod_class.owned_groups.push_back(Intern(base_.SpreadGroup(c, constraint), &c));
  }
  auto affinity = [&](TopologyType type, const api::PodAffinityTerm& term) {
    pod_class.owned_groups.push_back(
        Intern(base_.AffinityGroup(type, c.namespace_, c.labels, term), nullptr));
  };
  for (const auto& term : c.required_affinity) affinity(TopologyType::kAffinity, term);
  for (const auto& term : c.preferred_affinity) affinity(TopologyType::kAffinity, term.term);
  for (const auto& term : c.required_anti_affinity) affinity(TopologyType::kAntiAffinity, term);
  for (const auto& term : c.preferred_anti_affinity) {
    affinity(TopologyType::kAntiAffinity, term.term);
  }
  for (const api::PodAffinityTerm& term : c.required_anti_affinity) {
    TopologyGroup group =
        base_.AffinityGroup(TopologyType::kAntiAffinity, c.namespace_, c.labels, term);
    std::string identity = group.Identity();
    // A running pod's group this run has; else one of this run's own, created when new.
    if (const int32_t running = base_.RunningIndex(identity);
        running >= 0 && running_ids_[running] >= 0) {
      pod_class.owned_inverse_groups.push_back(running_ids_[running]);
      continue;
    }
    auto [it, inserted] = inverse_ids_.try_emplace(identity, static_cast<int>(inverse_.size()));
    if (inserted) {
      group.domains = base_.Seed(group, identity, Seeding::kRegistered, nullptr);
      TakeOutRemoved(group, Seeding::kRegistered, nullptr);
      inverse_.push_back({nullptr, std::move(group)});
      ++generation_;
    }
    pod_class.owned_inverse_groups.push_back(it->second);
  }
}

const Topology::Selecting& Topology::SelectingGroups(const PodClass& pod_class) {
  if (selecting_.size() <= static_cast<size_t>(pod_class.id)) selecting_.resize(pod_class.id + 1);
  Selecting& entry = selecting_[pod_class.id];
  if (entry.generation == generation_) return entry;
  entry = Selecting{generation_, {}, {}, {}};
  const PodConstraints& c = pod_class.constraints;
  for (size_t i = 0; i < groups_.size(); ++i) {
    if (groups_[i].Selects(c.namespace_, c.labels)) entry.regular.push_back(static_cast<int>(i));
  }
  // Which running pods' groups select the class depends only on its namespace and labels: the
  // answer is shared by every run over the base (PodClass::running_selecting).
  std::vector<uint32_t> running;
  const std::vector<uint32_t>* selecting = &running;
  if (pod_class.running_selecting != nullptr) {
    if (!*pod_class.running_selecting) {
      *pod_class.running_selecting = base_.RunningSelecting(c.namespace_, c.labels);
    }
    selecting = &**pod_class.running_selecting;
  } else {
    running = base_.RunningSelecting(c.namespace_, c.labels);
  }
  for (uint32_t index : *selecting) {
    if (running_ids_[index] >= 0) entry.inverse.push_back(running_ids_[index]);
  }
  for (size_t i = 0; i < inverse_.size(); ++i) {
    if (inverse_[i].running == nullptr && inverse_[i].group->Selects(c.namespace_, c.labels)) {
      entry.inverse.push_back(static_cast<int>(i));
    }
  }
  std::sort(entry.inverse.begin(), entry.inverse.end());
  auto add_key = [&entry](const std::string& key) {
    if (std::find(entry.keys.begin(), entry.keys.end(), key) == entry.keys.end()) {
      entry.keys.push_back(key);
    }
  };
  for (int id : pod_class.owned_groups) add_key(groups_[id].key);
  for (int id : entry.inverse) add_key(Definition(inverse_[id]).key);
  return entry;
}

const std::vector<std::string>& Topology::Keys(const PodClass& pod_class) {
  return SelectingGroups(pod_class).keys;
}

bool Topology::Constrains(const PodClass& pod_class) {
  return !pod_class.owned_groups.empty() || !SelectingGroups(pod_class).inverse.empty();
}

void Topology::Register(std::string_view key, const std::string& domain) {
  for (TopologyGroup& group : groups_) {
    if (group.key == key) group.Register(domain);
  }
  bool pending = false;
  for (Inverse& inverse : inverse_) {
    if (!inverse.group) {
      pending = true;
    } else if (inverse.group->key == key) {
      inverse.group->Register(domain);
    }
  }
  if (pending) registrations_.push_back({true, std::string(key), domain});
}

void Topology::Unregister(std::string_view key, const std::string& domain) {
  for (TopologyGroup& group : groups_) {
    if (group.key == key) group.Unregister(domain);
  }
  bool pending = false;
  for (Inverse& inverse : inverse_) {
    if (!inverse.group) {
      pending = true;
    } else if (inverse.group->key == key) {
      inverse.group->Unregister(domain);
    }
  }
  if (pending) registrations_.push_back({false, std::string(key), domain});
}

}  // namespace karpenter::scheduling
