// The scheduling run behind Schedule(): state and steps, split over solver*.cc,
// node_claim_builder.cc and existing_node_fit.cc. Internal to the scheduling layer.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "scheduling/daemon_overhead.h"
#include "scheduling/dense_resources.h"
#include "scheduling/explain.h"
#include "scheduling/instance_selection.h"
#include "scheduling/pod_constraints.h"
#include "scheduling/scheduler.h"
#include "scheduling/topology.h"

namespace karpenter::scheduling {

struct PoolState {
  const api::NodePool* pool = nullptr;
  std::string name;
  int32_t weight = 0;
  core::Requirements requirements;  // template requirements + template labels + nodepool label
  std::vector<core::Taint> taints;
  std::vector<const catalog::InstanceType*> catalog_types;
  PoolTypes types;
  std::vector<TypeIndex> all;  // every type compatible with the NodePool's requirements
  std::vector<core::ResourceList> overhead_lists;  // per daemon group
  std::vector<HostPort> daemon_ports;
  std::vector<size_t> limited;  // resource indices with a limit
  Dense limits;
  Dense limit_left;  // limits minus in_use, before the run launches anything
};

struct ClaimState {
  int pool = 0;
  std::string hostname;
  core::Requirements requirements;
  std::vector<TypeIndex> options;
  Dense requests;  // the pods' requests, without daemon overhead
  std::vector<const api::Pod*> pods;
  std::vector<HostPort> ports;
  std::vector<uint8_t> dead;  // by class id: can never take a pod of that class
  // Per resource, at least the most any option can take (allocatable minus daemon overhead),
  // computed from `bound_options` options; empty until a pod first failed on resources.
  Dense bound;
  size_t bound_options = 0;
  // Intrusive list of claims with the same pod count (upstream keeps claims sorted by pod count
  // with a stable sort; a claim that gains a pod moves to the front of the next count).
  int prev = -1;
  int next = -1;
};

struct ExistingState {
  const ExistingNode* node = nullptr;
  size_t input_index = 0;
  std::string hostname;
  // Labels + hostname (NodeRequirements); shared with the input and other runs until a
  // placement narrows them.
  std::shared_ptr<const core::Requirements> requirements;
  std::vector<core::Taint> taints;  // without ephemeral taints
  Dense available;                  // allocatable minus bound pods
  Dense requests;                   // daemons still to come + pods placed in this run
  std::vector<HostPort> ports;
  std::vector<const api::Pod*> placed;
};

// What is known of a pod class (told apart by its constraints) across the runs over one
// Prepared: which prepared existing nodes it can never fit as prepared (their taints,
// resources, host ports or labels rule it out) and which pass those checks, learnt as runs try
// nodes they have placed nothing on (placing pods only ever takes room and narrows labels);
// and which running pods' inverse anti-affinity groups select it.
class ClassCache {
 public:
  struct Entry {
    PodConstraints constraints;
    std::vector<uint64_t> never;   // a bit per prepared existing node: fails those checks
    std::vector<uint64_t> passes;  // passes them all
    std::optional<std::vector<uint32_t>> running_selecting;  // PodClass::running_selecting
  };
  // The entry for `constraints`, whose HashOf is `hash`; created empty for `nodes` nodes when
  // new. Valid while this lives.
  Entry* For(const PodConstraints& constraints, size_t hash, size_t nodes);

 private:
  std::unordered_multimap<size_t, std::unique_ptr<Entry>> entries_;
};

// Each prepared existing node's requirement for one label key (nullptr: none). Equal
// requirements share one pointer (up to kMaxCanonical distinct ones), so comparing pointers
// tells nodes of one zone from another's.
struct KeyRequirements {
  static constexpr size_t kMaxCanonical = 64;
  static constexpr int32_t kNone = -1;    // the node has no requirement for the key
  static constexpr int32_t kUnique = -2;  // beyond kMaxCanonical: not shared
  std::vector<const core::Requirement*> by_node;
  std::vector<int32_t> index_of;  // by node: into `canonical`, or kNone / kUnique
  std::vector<const core::Requirement*> canonical;
  // Per canonical requirement, then for kNone last: the nodes that have it (a bit per node).
  std::vector<std::vector<uint64_t>> members;

  // `requirement`'s shared pointer when some prepared node has an equal one, else itself.
  const core::Requirement* Canonical(const core::Requirement* requirement) const;
  const std::vector<uint64_t>& Members(int32_t index) const {
    return index == kNone ? members.back() : members[index];
  }
};

// What a run needs that does not depend on the pods it places or the existing nodes it leaves
// out: the resource index, DaemonSets, NodePools with their instance types (and the caches
// PoolTypes fills), existing nodes with what their bound pods use, and the topology seeded
// from them. Built once; the runs over it share it (Solver reads it, and only adds to caches
// that depend on nothing run-specific). Not for concurrent runs.
struct Prepared {
  // `intern_pods`: the pods whose resource names are interned first (those a run places).
  Prepared(const SchedulingInput& input, const std::vector<const api::Pod*>& intern_pods);

  const SchedulingInput& input;
  ResourceIndex resources;
  std::vector<DaemonPod> daemons;
  std::vector<PoolState> pools;  // in try order: weight descending, then name
  bool tolerate_prefer_no_schedule = false;
  // Existing nodes not marked for deletion, initialized first, then by name.
  std::vector<ExistingState> existing;
  // By index into input.existing_nodes: the index in `existing`, or -1.
  std::vector<int32_t> existing_index;
  std::unique_ptr<TopologyBase> topology;
  ClassCache classes;

  // Each existing node's requirement for `key`, by index into `existing`.
  const KeyRequirements& RequirementsOf(const std::string& key);

 private:
  void InternResources(const std::vector<const api::Pod*>& intern_pods);
  void PreparePools();
  void PrepareDaemonGroups(PoolState& pool);
  void PrepareExisting();
  // Existing node `n` of the input with what its bound pods use and its DaemonSets will.
  ExistingState PrepareNode(size_t n) const;

  std::map<std::string, KeyRequirements, std::less<>> requirements_of_;
};

// Which check of a placement failed (explanations name it).
enum class FitCheck {
  kNone,
  kTaints,
  kResources,  // existing nodes only: new NodeClaims check resources per instance type
  kHostPorts,
  kRequirements,
  kTopology,
  kInstanceTypes,
};

// The outcome of trying one pod on a node or NodeClaim without changing either: either what
// the node or claim becomes with the pod, or the first check that failed and why.
struct Fit {
  FitCheck failed = FitCheck::kNone;
  std::string message;
  // The failure can never pass later on the same node or claim (taints, requirements,
  // anti-affinity); the solver then stops trying pods of the class there.
  bool permanent = true;
  // From the topology check on: when `narrowed`, the node's or claim's requirements narrowed
  // by the pod and its topology (else they are unchanged and `requirements` is empty); and
  // what the topology imposed alone.
  bool narrowed = false;
  core::Requirements requirements;
  core::Requirements domains;
  Dense requests;                  // the claim's or node's requests with the pod's
  std::vector<TypeIndex> options;  // NodeClaims: the instance types left
};

// The cheapest available offering of `type` in a zone and capacity type the requirements
// allow (spot first at equal price), or nullptr.
const catalog::Offering* CheapestAllowed(const catalog::InstanceType& type,
                                         const core::Requirement& zone,
                                         const core::Requirement& capacity_type);

// core::ToleratesAll without building the words of a failure.
inline bool ToleratesAllTaints(const std::vector<core::Toleration>& tolerations,
                               const std::vector<core::Taint>& taints) {
  for (const core::Taint& taint : taints) {
    bool tolerated = false;
    for (const core::Toleration& toleration : tolerations) {
      if (core::Tolerates(toleration, taint)) {
        tolerated = true;
        break;
      }
    }
    if (!tolerated) return false;
  }
  return true;
}

// The words of core::ToleratesAll's failure for the class on a node with `taints`.
inline std::string TaintMessage(const PodClass& pod_class, const std::vector<core::Taint>& taints) {
  auto tolerated = core::ToleratesAll(pod_class.constraints.tolerations, taints);
  return tolerated ? std::string() : tolerated.error().message;
}

class Solver {
 public:
  // A run over `input` alone.
  explicit Solver(const SchedulingInput& input);
  // A run over `prepared` placing `pending` (whose resource names `prepared.resources` must
  // all know), without the existing nodes at `removed` (indices into
  // prepared.input.existing_nodes). `report_order`: the resource order this run's own index
  // would have had, for the words of failures (empty: prepared's).
  Solver(Prepared& prepared, std::vector<const api::Pod*> pending, std::vector<size_t> removed,
         std::vector<size_t> report_order);
  SchedulingResult Run();

  // Makes Run() record, at each attempt to place `pod`, every check against every existing
  // node, NodeClaim and NodePool into `trail` (the last attempt's survives). Costs the other
  // pods one pointer comparison.
  void Trace(const api::Pod* pod, PodTrail* trail) {
    traced_ = pod;
    trail_ = trail;
  }

 private:
  // One prepared existing node as this run sees it: as prepared until the run places a pod
  // there, then the run's own copy.
  struct ExistingSlot {
    const ExistingState* prepared = nullptr;
    ExistingState* own = nullptr;
  };

  // Setup (solver.cc).
  void Init(std::vector<size_t> removed);
  int ClassFor(PodConstraints constraints);
  int RelaxedClass(int class_id);

  // Placement (node_claim_builder.cc, existing_node_fit.cc).
  bool TryExisting(const api::Pod* pod, int class_id);
  bool TryInFlight(const api::Pod* pod, int class_id);
  std::optional<std::string> TryNew(const api::Pod* pod, int class_id);
  // Adds the pod to the claim as `fit` (a successful FitClaim) says.
  void CommitToClaim(ClaimState& claim, const api::Pod* pod, int class_id, Fit& fit);
  void UpdateBound(ClaimState& claim) const;
  // Places the pod on existing slot `slot` as `fit` (a successful FitExisting) says.
  void CommitToExisting(size_t slot, const api::Pod* pod, int class_id, Fit& fit);
  const ExistingState& NodeAt(size_t slot) const {
    return existing_[slot].own != nullptr ? *existing_[slot].own : *existing_[slot].prepared;
  }
  bool Excluded(size_t slot) const { return (excluded_[slot >> 6] >> (slot & 63)) & 1; }
  // The class's existing slots that can never take it this run (removed ones included).
  std::vector<uint64_t>& DeadExisting(int class_id);
  // The checks of CommitToClaim / CommitToExisting, changing nothing; false with `fit` naming
  // the failed check. `outcome` receives why no instance type is left, when that is the
  // failure; without it the failure's words are left out (fit.message may be empty).
  bool FitClaim(const ClaimState& claim, int class_id, Fit& fit, FilterOutcome* outcome);
  // What TryExisting learns about one pod's topology while it tries nodes: the node-side
  // requirements (on the keys the topology reads) that failed. Nothing the topology counts
  // changes until the pod is placed, so a node with equal requirements there fails alike
  // (e.g. every node of a zone the pod's spread rules out).
  struct TopologyMemo {
    // Whether failures are remembered (not when a key is the hostname: every node differs).
    bool remember = true;
    const std::vector<std::string>* keys = nullptr;
    std::vector<const KeyRequirements*> prepared;  // per key
    struct Failure {
      std::vector<const core::Requirement*> node;
      bool permanent = false;
    };
    std::vector<Failure> failures;
    std::vector<const core::Requirement*> node;  // the node being tried
    // Prepared nodes that share a failed node's requirements on every key: skipped.
    std::vector<uint64_t> skip;
  };
  // Sets up `memo` for the class when the topology constrains it; false otherwise.
  bool StartTopologyMemo(int class_id, TopologyMemo& memo);
  // Marks for skipping the prepared nodes whose requirements on the memo's keys equal those
  // of the prepared node at `slot`, which just failed the topology.
  void SkipAlike(TopologyMemo& memo, size_t slot) const;
  // `memo`: with the existing slot `slot` the node is at (TryExisting). `node_checked`: the
  // node is known to pass FitExistingNode.
  bool FitExisting(const ExistingState& node, int class_id, Fit& fit, bool explain,
                   TopologyMemo* memo = nullptr, size_t slot = 0, bool node_checked = false);
  // FitExisting's checks of the node alone (taints, resources, host ports, labels).
  bool FitExistingNode(const ExistingState& node, const PodClass& pod_class, Fit& fit,
                       bool explain) const;
  // FitExisting's topology step when nobody reads the words.
  bool FitExistingTopology(const ExistingState& node, int class_id, Fit& fit, TopologyMemo* memo,
                           size_t slot);
  // FitClaim's requirement and topology step: narrows `fit` (see Fit::narrowed) or fails it.
  bool NarrowClaim(const ClaimState& claim, int class_id, Fit& fit, bool explain);
  ClaimState NewClaim(size_t pool, std::vector<TypeIndex> options, std::string hostname) const;
  std::string LimitReason(const PoolState& pool) const;
  // TryNew's words when no NodePool takes the pod: each NodePool's reason, "; "-joined.
  std::string WhyNoNewClaim(int class_id, const std::vector<std::string>& hostnames);
  // The types of pool `p` that still fit its limits.
  std::vector<TypeIndex> WithinLimits(size_t p) const;
  void Unlink(int claim);
  void PushFront(size_t count, int claim);
  void PushBack(size_t count, int claim);

  // Results (scheduler.cc).
  NewNodeClaim Finish(const ClaimState& claim);

  // The explanation trail of the traced pod (pod_trail.cc).
  void TraceAttempt(int class_id);
  void TraceExisting(int class_id);
  void TraceInFlight(int class_id);
  NodePoolCheck TracePool(size_t p, int class_id);
  void TraceOutcome(const api::Pod* pod, int class_id, const std::optional<std::string>& error);

  std::unique_ptr<Prepared> own_prepared_;  // a run over an input alone prepares it itself
  Prepared& prepared_;
  const SchedulingInput& input_;
  std::vector<const api::Pod*> pending_;
  std::vector<size_t> removed_;  // indices into input_.existing_nodes, sorted
  ResourceIndex resources_;
  std::vector<PoolState>& pools_;  // prepared_'s; the run changes only their caches
  std::vector<Dense> remaining_;   // per pool: what its limits leave for this run
  const std::vector<DaemonPod>& daemons_;
  std::vector<ExistingSlot> existing_;  // one per prepared existing node, in its order
  std::deque<ExistingState> own_existing_;
  std::vector<uint64_t> excluded_;  // per slot: removed this run (and padding bits)
  std::vector<uint64_t> owned_;     // per slot: the run has its own copy (placed pods there)
  std::vector<std::vector<uint64_t>> existing_dead_;  // by class id; empty until first used
  std::vector<ClassCache::Entry*> known_;             // by class id
  std::unique_ptr<Topology> topology_;
  std::deque<PodClass> classes_;
  std::unordered_multimap<size_t, int> class_ids_;
  std::vector<ClaimState> claims_;
  std::vector<std::pair<int, int>> buckets_;  // by pod count: (head, tail) claim ids
  std::vector<size_t> dead_claims_;           // by class id: claims that can never take it
  int hostname_counter_ = 0;
  std::string no_pool_reason_;
  const api::Pod* traced_ = nullptr;
  PodTrail* trail_ = nullptr;
};

}  // namespace karpenter::scheduling
