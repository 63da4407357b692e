// The scheduling run behind Schedule(): state and steps, split over solver*.cc,
// node_claim_builder.cc and existing_node_fit.cc. Internal to the scheduling layer.
#pragma once

#include <cstdint>
#include <deque>
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
  Dense remaining;
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
  core::Requirements requirements;  // labels + hostname
  std::vector<core::Taint> taints;  // without ephemeral taints
  Dense available;                  // allocatable minus bound pods
  Dense requests;                   // daemons still to come + pods placed in this run
  std::vector<HostPort> ports;
  std::vector<const api::Pod*> placed;
  std::vector<uint8_t> dead;
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
  explicit Solver(const SchedulingInput& input);
  SchedulingResult Run();

  // Makes Run() record, at each attempt to place `pod`, every check against every existing
  // node, NodeClaim and NodePool into `trail` (the last attempt's survives). Costs the other
  // pods one pointer comparison.
  void Trace(const api::Pod* pod, PodTrail* trail) {
    traced_ = pod;
    trail_ = trail;
  }

 private:
  // Setup (solver.cc).
  void InternResources();
  void PreparePools();
  void PrepareDaemonGroups(PoolState& pool);
  void PrepareExisting();
  int ClassFor(PodConstraints constraints);
  int RelaxedClass(int class_id);

  // Placement (node_claim_builder.cc, existing_node_fit.cc).
  bool TryExisting(const api::Pod* pod, int class_id);
  bool TryInFlight(const api::Pod* pod, int class_id);
  std::optional<std::string> TryNew(const api::Pod* pod, int class_id);
  // Adds the pod to the claim as `fit` (a successful FitClaim) says.
  void CommitToClaim(ClaimState& claim, const api::Pod* pod, int class_id, Fit& fit);
  void UpdateBound(ClaimState& claim) const;
  std::optional<std::string> AddToExisting(ExistingState& node, const api::Pod* pod,
                                           int class_id, bool* permanent);
  // The checks of CommitToClaim / AddToExisting, changing nothing; false with `fit` naming the
  // failed check. `outcome` receives why no instance type is left, when that is the failure;
  // without it the failure's words are left out (fit.message may be empty).
  bool FitClaim(const ClaimState& claim, int class_id, Fit& fit, FilterOutcome* outcome);
  bool FitExisting(const ExistingState& node, int class_id, Fit& fit, bool explain);
  // FitClaim's requirement and topology step: narrows `fit` (see Fit::narrowed) or fails it.
  bool NarrowClaim(const ClaimState& claim, int class_id, Fit& fit, bool explain);
  ClaimState NewClaim(size_t pool, std::vector<TypeIndex> options, std::string hostname) const;
  std::string LimitReason(const PoolState& pool) const;
  // TryNew's words when no NodePool takes the pod: each NodePool's reason, "; "-joined.
  std::string WhyNoNewClaim(int class_id, const std::vector<std::string>& hostnames);
  std::vector<TypeIndex> WithinLimits(const PoolState& pool) const;
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

  const SchedulingInput& input_;
  ResourceIndex resources_;
  std::vector<PoolState> pools_;  // in try order: weight descending, then name
  std::vector<DaemonPod> daemons_;
  std::vector<ExistingState> existing_;  // initialized first, then by name
  std::unique_ptr<Topology> topology_;
  std::deque<PodClass> classes_;
  std::unordered_multimap<size_t, int> class_ids_;
  std::vector<ClaimState> claims_;
  std::vector<std::pair<int, int>> buckets_;  // by pod count: (head, tail) claim ids
  std::vector<size_t> dead_claims_;           // by class id: claims that can never take it
  bool tolerate_prefer_no_schedule_ = false;
  int hostname_counter_ = 0;
  std::string no_pool_reason_;
  const api::Pod* traced_ = nullptr;
  PodTrail* trail_ = nullptr;
};

}  // namespace karpenter::scheduling
