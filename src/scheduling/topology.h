// Topology spread and pod (anti-)affinity state of one scheduling run (upstream Topology):
// every distinct constraint is one TopologyGroup with per-domain pod counts, seeded from the
// pods already running on existing nodes and updated as the run places pods. Required
// anti-affinity is also tracked inversely: a pod that must not be near X keeps X away from it.
#pragma once

#include <cstddef>
#include <expected>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/instance_type.h"
#include "core/requirements.h"
#include "core/taint.h"
#include "scheduling/pod_constraints.h"
#include "scheduling/scheduler.h"
#include "scheduling/topology_group.h"

namespace karpenter::scheduling {

// Where a NodePool's nodes may land: its requirements (template requirements and labels) and
// instance types give the universe of domains per topology key; its taints decide, under
// nodeTaintsPolicy Honor, whether a pod may count the domain.
struct DomainSource {
  const core::Requirements* requirements = nullptr;
  std::vector<const catalog::InstanceType*> types;
  std::vector<core::Taint> taints;
};

// Why a topology constraint excludes a node; `permanent` when it can never pass later on the
// same node (anti-affinity and hostname spread only count up).
struct TopologyFailure {
  std::string message;
  bool permanent = false;
};

class Topology {
 public:
  Topology(const std::vector<ExistingNode>& existing, std::vector<DomainSource> sources,
           const std::map<std::string, core::Labels>& namespace_labels);

  // Creates (or shares, when an equal one exists) the groups of the class's spread and
  // affinity terms and the inverse groups of its required anti-affinity; sets owned ids.
  void AddClass(PodClass& pod_class);

  // The domain requirements the class's topology imposes on a node with `taints` and
  // `node` requirements, or why it cannot go there (the words only when `explain`).
  std::expected<core::Requirements, TopologyFailure> AddRequirements(
      const PodClass& pod_class, const std::vector<core::Taint>& taints,
      const core::Requirements& node, const core::AllowUndefinedKeys& allow, bool explain = true);

  // Counts a pod of the class placed on a node with `requirements` in every group it affects.
  void Record(const PodClass& pod_class, const std::vector<core::Taint>& taints,
              const core::Requirements& requirements, const core::AllowUndefinedKeys& allow);

  // Makes `domain` known (count 0) to every group on `key`, e.g. a new node's hostname.
  void Register(std::string_view key, const std::string& domain);
  void Unregister(std::string_view key, const std::string& domain);

  // Whether the class has any topology constraint or any inverse anti-affinity selects it.
  bool Constrains(const PodClass& pod_class);

  const std::vector<TopologyGroup>& groups() const { return groups_; }
  const std::vector<TopologyGroup>& inverse_groups() const { return inverse_; }

 private:
  struct Selecting {
    size_t generation = 0;
    std::vector<int> regular;
    std::vector<int> inverse;
  };

  int Intern(std::vector<TopologyGroup>& list, std::map<std::string, int>& ids,
             TopologyGroup group);
  TopologyGroup SpreadGroup(const PodConstraints& c,
                            const api::TopologySpreadConstraint& constraint);
  TopologyGroup AffinityGroup(TopologyType type, const std::string& ns, const core::Labels& labels,
                              const api::PodAffinityTerm& term) const;
  void SeedDomains(TopologyGroup& group, const PodConstraints* spread_owner);
  void CountExisting(TopologyGroup& group) const;
  const std::map<std::string, std::vector<size_t>>& Universe(const std::string& key);
  const Selecting& SelectingGroups(const PodClass& pod_class);
  std::string Describe(const TopologyGroup& group, bool inverse, const core::Requirement& pod,
                       const core::Requirement& node) const;

  struct ExistingView {
    const ExistingNode* node;
    core::Requirements requirements;
  };
  std::vector<ExistingView> existing_;
  std::vector<DomainSource> sources_;
  const std::map<std::string, core::Labels>& namespace_labels_;
  std::map<std::string, std::map<std::string, std::vector<size_t>>> universe_;
  std::vector<TopologyGroup> groups_;
  std::vector<TopologyGroup> inverse_;
  std::map<std::string, int> group_ids_;
  std::map<std::string, int> inverse_ids_;
  std::vector<Selecting> selecting_;  // by class id
  size_t generation_ = 1;             // bumped whenever a group is added
};

// Whether a bound pod is ignored for topology (finished or being deleted).
bool IgnoredForTopology(const api::Pod& pod);

// The domain of `key` on an existing node: its label, falling back to the node's name for the
// hostname key (as upstream does for nodes the kubelet has not labelled yet).
std::optional<std::string> NodeDomain(const ExistingNode& node, const std::string& key);

}  // namespace karpenter::scheduling
