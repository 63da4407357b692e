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

class Solver {
 public:
  explicit Solver(const SchedulingInput& input);
  SchedulingResult Run();

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
  std::optional<std::string> AddToClaim(ClaimState& claim, const api::Pod* pod, int class_id,
                                        bool* permanent);
  std::optional<std::string> AddToExisting(ExistingState& node, const api::Pod* pod,
                                           int class_id, bool* permanent);
  std::vector<TypeIndex> WithinLimits(const PoolState& pool) const;
  void Unlink(int claim);
  void PushFront(size_t count, int claim);
  void PushBack(size_t count, int claim);

  // Results (solver_result.cc).
  NewNodeClaim Finish(const ClaimState& claim) const;

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
  bool tolerate_prefer_no_schedule_ = false;
  int hostname_counter_ = 0;
  std::string no_pool_reason_;
};

}  // namespace karpenter::scheduling
