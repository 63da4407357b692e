#include "sim/simulation.h"

#include <map>
#include <optional>
#include <set>
#include <utility>

#include "catalog/labels.h"
#include "scheduling/scheduler.h"
#include "scheduling/well_known.h"
#include "sim/names.h"

namespace karpenter::sim {
namespace {

// NodeClaim names depend on this seed, the NodePool and how many came before: the same input
// always gives the same names.
constexpr uint64_t kNodeClaimNameSeed = 0x6b617270656e7465ULL;  // "karpente"

void AddSingleValuedLabels(const core::Requirements& requirements, core::Labels& labels) {
  for (const auto& [key, requirement] : requirements) {
    if (requirement.EffectiveOperator() != core::Operator::In) continue;
    const std::vector<std::string> values = requirement.Values();
    if (values.size() == 1) labels[key] = values.front();
  }
}

const api::NodePool* FindNodePool(const Snapshot& snapshot, const std::string& name) {
  for (const scheduling::NodePoolOption& option : snapshot.node_pools) {
    if (option.node_pool->metadata.name == name) return option.node_pool;
  }
  return nullptr;
}

core::Labels LaunchLabels(const Snapshot& snapshot, const scheduling::NewNodeClaim& claim,
                          const scheduling::Launch& launch, const std::string& name) {
  core::Labels labels;
  AddSingleValuedLabels(launch.instance_type->Requirements(), labels);
  AddSingleValuedLabels(claim.requirements, labels);
  if (const api::NodePool* pool = FindNodePool(snapshot, claim.node_pool)) {
    for (const auto& [key, value] : pool->spec.template_.metadata.labels) labels[key] = value;
  }
  labels[std::string(scheduling::kLabelHostname)] = name;
  labels[std::string(catalog::kLabelZone)] = launch.offering->zone;
  labels[std::string(catalog::kLabelCapacityType)] =
      std::string(catalog::ToString(launch.offering->capacity_type));
  labels[std::string(catalog::kLabelInstanceType)] = launch.instance_type->name();
  labels[std::string(scheduling::kLabelNodePool)] = claim.node_pool;
  return labels;
}

// The state carried from round to round: capacity grows with each round's launches.
class RoundRunner {
 public:
  explicit RoundRunner(const Snapshot& snapshot)
      : snapshot_(snapshot),
        existing_(snapshot.existing_nodes),
        pools_(snapshot.node_pools),
        names_(kNodeClaimNameSeed) {
    for (std::size_t i = 0; i < existing_.size(); ++i) {
      names_.Reserve(existing_[i].name);
      existing_index_.emplace(existing_[i].name, i);
    }
  }

  // The scheduler's input for `pending` given the rounds run so far.
  scheduling::SchedulingInput Input(const std::vector<const api::Pod*>& pending) const {
    scheduling::SchedulingInput input;
    input.pending = pending;
    input.existing_nodes = existing_;
    input.node_pools = pools_;
    input.daemon_sets = snapshot_.daemon_sets;
    input.namespace_labels = snapshot_.namespace_labels;
    return input;
  }

  void Run(int round, const std::vector<const api::Pod*>& pending, Plan& plan) {
    const scheduling::SchedulingResult result = scheduling::Schedule(Input(pending));
    for (const scheduling::ExistingNodePlacement& placement : result.existing_node_placements) {
      Place(placement, plan);
    }
    for (const scheduling::NewNodeClaim& claim : result.new_node_claims) Launch(round, claim, plan);
    for (const scheduling::UnschedulablePod& pod : result.unschedulable) {
      plan.unschedulable.push_back({pod.pod, round, pod.reason});
    }
  }

 private:
  void Place(const scheduling::ExistingNodePlacement& placement, Plan& plan) {
    if (auto node = existing_index_.find(placement.node_name); node != existing_index_.end()) {
      std::vector<const api::Pod*>& bound = existing_[node->second].pods;
      bound.insert(bound.end(), placement.pods.begin(), placement.pods.end());
    }
    auto [it, inserted] = placement_index_.emplace(placement.node_name, plan.existing_nodes.size());
    if (inserted) plan.existing_nodes.push_back({placement.node_name, {}});
    std::vector<const api::Pod*>& pods = plan.existing_nodes[it->second].pods;
    pods.insert(pods.end(), placement.pods.begin(), placement.pods.end());
  }

  void Launch(int round, const scheduling::NewNodeClaim& claim, Plan& plan) {
    const scheduling::Launch launch = scheduling::ChooseLaunch(claim);
    if (launch.instance_type == nullptr || launch.offering == nullptr) {
      for (const api::Pod* pod : claim.pods) {
        plan.unschedulable.push_back(
            {pod, round,
             "NodePool \"" + claim.node_pool +
                 "\": no instance-type option has an available offering its requirements allow"});
      }
      return;
    }
    LaunchedNodeClaim launched;
    launched.name = names_.Generate(claim.node_pool + "-");
    launched.node_pool = claim.node_pool;
    launched.round = round;
    launched.instance_type = launch.instance_type;
    launched.offering = launch.offering;
    launched.instance_type_options = claim.instance_type_options;
    launched.pods = claim.pods;
    launched.requests = claim.requests;
    launched.labels = LaunchLabels(snapshot_, claim, launch, launched.name);

    // Later rounds see it as in-flight capacity of its NodePool.
    scheduling::ExistingNode node;
    node.name = launched.name;
    node.node_pool = claim.node_pool;
    node.labels = launched.labels;
    node.taints = claim.taints;
    node.capacity = launch.instance_type->capacity();
    node.allocatable = launch.instance_type->allocatable();
    node.pods = claim.pods;
    node.initialized = false;
    existing_index_.emplace(node.name, existing_.size());
    existing_.push_back(std::move(node));
    for (scheduling::NodePoolOption& pool : pools_) {
      if (pool.node_pool->metadata.name != claim.node_pool) continue;
      pool.in_use.Add(launch.instance_type->capacity());
      pool.in_use.Set("nodes", pool.in_use.Get("nodes") + core::Quantity::FromInt(1));
    }
    plan.cost_per_hour += launch.offering->price;
    plan.node_claims.push_back(std::move(launched));
  }

  const Snapshot& snapshot_;
  std::vector<scheduling::ExistingNode> existing_;
  std::vector<scheduling::NodePoolOption> pools_;
  NameGenerator names_;
  std::map<std::string, std::size_t> existing_index_;   // name -> index in existing_
  std::map<std::string, std::size_t> placement_index_;  // name -> index in Plan::existing_nodes
};

// NodePool `option`'s requirements (template requirements and labels), or nullopt when they
// do not parse (validation would have said so).
std::optional<core::Requirements> NodePoolRequirements(const scheduling::NodePoolOption& option) {
  const api::NodeClaimTemplate& tmpl = option.node_pool->spec.template_;
  auto requirements = core::Requirements::FromNodeSelectorRequirements(tmpl.spec.requirements);
  if (!requirements) return std::nullopt;
  requirements->Add(core::Requirements::FromNodeSelector(tmpl.metadata.labels));
  return *requirements;
}

// The bound of one NodePool's launches: its claims' requests over every type the NodePool
// allows (and the claims' options, should the scheduler have found more), priced at offerings
// the NodePool allows. A plan can only do worse: each claim runs one of those types, on one of
// those offerings, and covers its requests.
scheduling::CostLowerBound NodePoolLowerBound(const scheduling::NodePoolOption& option,
                                              const std::vector<const LaunchedNodeClaim*>& claims) {
  std::vector<const catalog::InstanceType*> types;
  core::ResourceList requests;
  for (const LaunchedNodeClaim* claim : claims) {
    types.insert(types.end(), claim->instance_type_options.begin(),
                 claim->instance_type_options.end());
    requests.Add(claim->requests);
  }
  const std::optional<core::Requirements> requirements = NodePoolRequirements(option);
  if (!requirements) return scheduling::ComputeCostLowerBound(types, requests);
  const std::vector<const catalog::InstanceType*> allowed = option.catalog->Filter(*requirements);
  types.insert(types.end(), allowed.begin(), allowed.end());
  return scheduling::ComputeCostLowerBound(types, requests,
                                           requirements->Get(catalog::kLabelZone),
                                           requirements->Get(catalog::kLabelCapacityType));
}

// The sum of the NodePools' bounds (each NodePool's launches can only use its own types).
scheduling::CostLowerBound LowerBound(const Snapshot& snapshot, const Plan& plan) {
  scheduling::CostLowerBound total;
  total.feasible = true;
  for (const scheduling::NodePoolOption& option : snapshot.node_pools) {
    std::vector<const LaunchedNodeClaim*> claims;
    for (const LaunchedNodeClaim& claim : plan.node_claims) {
      if (claim.node_pool == option.node_pool->metadata.name) claims.push_back(&claim);
    }
    if (claims.empty()) continue;
    scheduling::CostLowerBound bound = NodePoolLowerBound(option, claims);
    total.feasible = total.feasible && bound.feasible;
    total.cost_per_hour += bound.cost_per_hour;
    total.mix.insert(total.mix.end(), bound.mix.begin(), bound.mix.end());
  }
  if (!total.feasible) total = {};
  return total;
}

}  // namespace

Plan Simulate(const Snapshot& snapshot) {
  Plan plan;
  RoundRunner runner(snapshot);
  std::set<int> rounds;
  for (const auto& [round, pending] : snapshot.rounds) rounds.insert(round);
  for (const RejectedPod& rejected : snapshot.rejected) rounds.insert(rejected.round);
  for (int round : rounds) {
    // Rejected pods never reach the scheduler (upstream ignores them before it runs).
    for (const RejectedPod& rejected : snapshot.rejected) {
      if (rejected.round == round) {
        plan.unschedulable.push_back({rejected.pod, round, rejected.reason});
      }
    }
    if (auto it = snapshot.rounds.find(round); it != snapshot.rounds.end()) {
      runner.Run(round, it->second, plan);
    }
  }
  plan.lower_bound = LowerBound(snapshot, plan);
  return plan;
}

std::optional<scheduling::SchedulingInput> RoundInput(const Snapshot& snapshot, int round) {
  Plan plan;
  RoundRunner runner(snapshot);
  for (const auto& [number, pending] : snapshot.rounds) {
    if (number == round) return runner.Input(pending);
    runner.Run(number, pending, plan);
  }
  return std::nullopt;
}

}  // namespace karpenter::sim
