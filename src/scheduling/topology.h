// Topology spread and pod (anti-)affinity state of one scheduling run (upstream Topology):
// every distinct constraint is one TopologyGroup with per-domain pod counts, seeded from the
// pods already running on existing nodes and updated as the run places pods. Required
// anti-affinity is also tracked inversely: a pod that must not be near X keeps X away from it.
//
// Split in two so that many runs over one cluster (consolidation removes a few nodes per run)
// share the work of counting the running pods: TopologyBase seeds groups from every existing
// node once, and each run's Topology takes the share of the nodes it leaves out back out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
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

// How a group's domains start out.
enum class Seeding {
  // The NodePools' domains of the key (under nodeTaintsPolicy Honor, those the owner
  // tolerates), then every existing node's domain with the selected pods running there.
  kCounted,
  // The NodePools' domains of the key and, for the hostname key, the hostname of every
  // existing node not being deleted, all at zero: the inverse group a pending pod's required
  // anti-affinity term creates.
  kRegistered,
};

// The part of the topology that depends only on the cluster, shared by the runs over it.
class TopologyBase {
 public:
  TopologyBase(const std::vector<ExistingNode>& existing, std::vector<DomainSource> sources,
               const std::map<std::string, core::Labels>& namespace_labels);

  // The groups a pod's constraint or term stands for (domains not seeded).
  TopologyGroup SpreadGroup(const PodConstraints& c,
                            const api::TopologySpreadConstraint& constraint) const;
  TopologyGroup AffinityGroup(TopologyType type, const std::string& ns, const core::Labels& labels,
                              const api::PodAffinityTerm& term) const;

  // The domains of `group` (whose Identity() is `identity`) seeded over every existing node,
  // computed once per identity and seeding. `spread_owner`: the spread constraint's pod, for
  // nodeTaintsPolicy Honor.
  DomainCounts Seed(const TopologyGroup& group, const std::string& identity, Seeding seeding,
                    const PodConstraints* spread_owner);

  // Existing node `node`'s part in a group seeded with `seeding`: the domain it registers
  // (nullptr: none), whether its pods count there (the group's node filter admits it) and,
  // with `count_pods`, how many selected pods it counts.
  struct Share {
    const std::string* domain = nullptr;  // into the node's labels or name
    bool counted = false;
    int32_t count = 0;
  };
  Share ShareOf(const TopologyGroup& group, Seeding seeding, size_t node,
                bool count_pods = true) const;

  // The inverse groups of running pods' required anti-affinity terms: seeded (kCounted) and
  // with each running owner's domain recorded, in the order their first owner is listed.
  struct RunningInverse {
    std::string identity;
    TopologyGroup group;
    // Every owning term as (listing position, node), in listing order: a run that leaves the
    // first owners' nodes out creates the group later, or not at all.
    std::vector<std::pair<uint32_t, uint32_t>> owners;
  };
  const std::vector<RunningInverse>& running_inverse() const { return running_inverse_; }
  // The index in running_inverse() of the group with `identity`, or -1.
  int32_t RunningIndex(const std::string& identity) const;
  // The running pods' inverse groups that select pods of `ns` with `labels`, in order.
  std::vector<uint32_t> RunningSelecting(const std::string& ns, const core::Labels& labels) const;

  size_t node_count() const { return existing_.size(); }

 private:
  struct ExistingView {
    const ExistingNode* node;
    std::optional<core::Requirements> requirements;  // from its labels, when first needed
  };
  struct BoundPod {
    uint32_t node;
    const api::Pod* pod;
  };

  const std::map<std::string, std::vector<size_t>>& Universe(const std::string& key);
  // The domains of `key` every group without a node filter starts from: the NodePools' ones,
  // then every node's (kCounted) or every hostname (kRegistered), with their sources.
  const std::shared_ptr<const DomainCounts::Base>& Registry(const std::string& key,
                                                            Seeding seeding);
  // The domain node `n` registers in the key's registry, or nullptr.
  const std::string* RegistryShareOf(const std::string& key, Seeding seeding, size_t n) const;
  // NodeDomain of node `n`, without a copy.
  const std::string* DomainOf(size_t n, const std::string& key) const;
  const core::Requirements& Requirements(size_t n) const;
  void FindRunningInverse();
  // Selected pods per existing node.
  std::vector<int32_t> SelectedPerNode(const TopologyGroup& group) const;

  mutable std::vector<ExistingView> existing_;
  std::vector<DomainSource> sources_;
  const std::map<std::string, core::Labels>& namespace_labels_;
  std::map<std::string, std::map<std::string, std::vector<size_t>>> universe_;
  // Pods that count for topology, all and by namespace.
  std::vector<BoundPod> pods_;
  std::map<std::string, std::vector<BoundPod>, std::less<>> pods_by_namespace_;
  // By seeding and key (Registry).
  std::unordered_map<std::string, std::shared_ptr<const DomainCounts::Base>> registries_;
  // By seeding and identity: the registry (nullptr when the group has a node filter) and the
  // group's own entries.
  std::unordered_map<std::string, std::pair<std::shared_ptr<const DomainCounts::Base>,
                                            std::shared_ptr<const DomainCounts::Base>>>
      seeded_;
  std::vector<RunningInverse> running_inverse_;
  std::unordered_map<std::string, uint32_t> running_ids_;  // by identity
};

class Topology {
 public:
  // A run over `base` without the existing nodes at `removed` (indices into the existing
  // nodes `base` was built from).
  Topology(TopologyBase& base, std::vector<size_t> removed);

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

  // The label keys AddRequirements reads of the node's requirements for the class (its groups'
  // keys), and so the only keys its result depends on.
  const std::vector<std::string>& Keys(const PodClass& pod_class);

 private:
  struct Selecting {
    size_t generation = 0;
    std::vector<int> regular;
    std::vector<int> inverse;
    std::vector<std::string> keys;  // Keys()
  };
  // An inverse group: a running pods' one is only copied out of the base when the run first
  // reads or counts it (most runs never touch most of them).
  struct Inverse {
    const TopologyBase::RunningInverse* running = nullptr;
    std::optional<TopologyGroup> group;
  };
  struct Registration {
    bool add;
    std::string key;
    std::string domain;
  };

  const TopologyGroup& Definition(const Inverse& inverse) const {
    return inverse.group ? *inverse.group : inverse.running->group;
  }
  TopologyGroup& InverseGroup(int id);
  // `group` (domains seeded over every node) without the removed nodes' share; `running` adds
  // the owner records of a running pods' inverse group.
  void TakeOutRemoved(TopologyGroup& group, Seeding seeding,
                      const TopologyBase::RunningInverse* running) const;
  int Intern(TopologyGroup group, const PodConstraints* spread_owner);
  const Selecting& SelectingGroups(const PodClass& pod_class);
  std::string Describe(const TopologyGroup& group, bool inverse, const core::Requirement& pod,
                       const core::Requirement& node) const;

  TopologyBase& base_;
  std::vector<size_t> removed_;
  std::vector<TopologyGroup> groups_;
  std::vector<Inverse> inverse_;
  std::map<std::string, int> group_ids_;
  // Inverse groups by identity: the running pods' ones by their index in the base (-1: not in
  // this run), the ones pending pods create by name.
  std::vector<int32_t> running_ids_;
  std::map<std::string, int> inverse_ids_;
  // Every Register/Unregister so far: an inverse group copied out later replays them.
  std::vector<Registration> registrations_;
  std::vector<Selecting> selecting_;  // by class id
  size_t generation_ = 1;             // bumped whenever a group is added
};

// Whether a bound pod is ignored for topology (finished or being deleted).
bool IgnoredForTopology(const api::Pod& pod);

// The domain of `key` on an existing node: its label, falling back to the node's name for the
// hostname key (as upstream does for nodes the kubelet has not labelled yet).
std::optional<std::string> NodeDomain(const ExistingNode& node, const std::string& key);

}  // namespace karpenter::scheduling
