#include "disruption/consolidation.h"

#include <algorithm>
#include <limits>
#include <set>
#include <sstream>

#include "catalog/labels.h"
#include "disruption/emptiness.h"
#include "disruption/pass_cache.h"
#include "scheduling/well_known.h"

namespace karpenter::disruption {
namespace {

std::string LabelOr(const core::Labels& labels, std::string_view key) {
  auto it = labels.find(std::string(key));
  return it == labels.end() ? std::string() : it->second;
}

constexpr std::string_view kSpot = "spot";
constexpr std::string_view kOnDemand = "on-demand";

scheduling::ExistingNode ToExistingNode(const Snapshot& snapshot, const SnapshotNode& node) {
  scheduling::ExistingNode existing;
  existing.name = node.Name();
  existing.labels = node.Labels();
  existing.labels.try_emplace(std::string(scheduling::kLabelHostname), existing.name);
  existing.node_pool = node.node_pool;
  existing.taints = node.node->spec.taints;
  existing.capacity = node.node->status.capacity;
  existing.allocatable = node.node->status.allocatable;
  if (existing.allocatable.empty()) existing.allocatable = existing.capacity;
  if (existing.allocatable.empty() && snapshot.catalog) {
    const catalog::InstanceType* type =
        snapshot.catalog->Find(LabelOr(existing.labels, catalog::kLabelInstanceType));
    if (type != nullptr) {
      existing.capacity = type->capacity();
      existing.allocatable = type->allocatable();
    }
  }
  if (existing.capacity.empty()) existing.capacity = existing.allocatable;
  existing.initialized = node.node_claim ? node.initialized : true;
  existing.marked_for_deletion = node.deleting || node.node->spec.unschedulable;
  for (const Shared<api::Pod>& pod : node.pods) existing.pods.push_back(pod.get());
  return existing;
}

// The most expensive available offering the requirements allow, spot ones when spot is
// allowed and offered (upstream's WorstLaunchPrice); +inf when none.
double WorstLaunchPrice(const catalog::InstanceType& type, const core::Requirements& reqs) {
  const core::Requirement zone = reqs.Get(catalog::kLabelZone);
  const core::Requirement capacity_type = reqs.Get(catalog::kLabelCapacityType);
  for (std::string_view wanted : {kSpot, kOnDemand}) {
    if (!capacity_type.Has(wanted)) continue;
    double worst = -1;
    for (const catalog::Offering& offering : type.offerings()) {
      if (!offering.available || !zone.Has(offering.zone) ||
          catalog::ToString(offering.capacity_type) != wanted) {
        continue;
      }
      worst = std::max(worst, offering.price);
    }
    if (worst >= 0) return worst;
  }
  return std::numeric_limits<double>::infinity();
}

std::string Price(double price) {
  std::ostringstream out;
  out.precision(4);
  out << std::fixed << "$" << price << "/h";
  return out.str();
}

// Savings fraction against disruption fraction for Balanced NodePools among the candidates'.
std::optional<std::string> BalancedRefusal(const Snapshot& snapshot, const SchedulingView& view,
                                           const std::vector<const Candidate*>& candidates,
                                           double savings) {
  std::set<std::string> pools;
  bool balanced = false;
  for (const Candidate* candidate : candidates) {
    pools.insert(candidate->node_pool->metadata.name);
    balanced |=
        candidate->node_pool->spec.disruption.Policy() == api::ConsolidationPolicy::kBalanced;
  }
  if (!balanced) return std::nullopt;
  // Every node's price and cost are computed once per pass (pass_cache.h).
  const auto [pool_price, pool_cost] = PoolTotals(snapshot, view, pools);
  double candidates_cost = 0;
  for (const Candidate* candidate : candidates) candidates_cost += candidate->disruption_cost;
  const double savings_fraction = pool_price > 0 ? savings / pool_price : 0;
  const double disruption_fraction = pool_cost > 0 ? candidates_cost / pool_cost : 0;
  if (savings_fraction >= disruption_fraction / 2) return std::nullopt;
  std::ostringstream out;
  out.precision(3);
  out << "consolidationPolicy Balanced: savings fraction " << savings_fraction
      << " is below half the disruption fraction " << disruption_fraction;
  return out.str();
}

// The cheapest offering of `type` in the node's zone with its capacity type (on-demand when
// unlabelled).
std::optional<double> OfferingPrice(const catalog::InstanceType& type, const core::Labels& labels) {
  const std::string zone = LabelOr(labels, catalog::kLabelZone);
  const std::string capacity_type = LabelOr(labels, catalog::kLabelCapacityType);
  std::optional<double> price;
  for (const catalog::Offering& offering : type.offerings()) {
    if (!zone.empty() && offering.zone != zone) continue;
    if (catalog::ToString(offering.capacity_type) !=
        (capacity_type.empty() ? kOnDemand : capacity_type)) {
      continue;
    }
    if (!price || offering.price < *price) price = offering.price;
  }
  return price;
}

}  // namespace

SchedulingView BuildSchedulingView(const Snapshot& snapshot) {
  SchedulingView view;
  std::map<std::string, core::ResourceList, std::less<>> in_use;
  std::map<std::string, int64_t, std::less<>> counts;
  for (const SnapshotNode& node : snapshot.nodes) {
    if (!node.node) continue;
    view.existing_nodes.push_back(ToExistingNode(snapshot, node));
    if (!node.node_pool.empty()) {
      in_use[node.node_pool].Add(view.existing_nodes.back().capacity);
      ++counts[node.node_pool];
    }
  }
  for (const api::NodePool& pool : snapshot.node_pools) {
    scheduling::NodePoolOption option;
    option.node_pool = &pool;
    option.catalog = snapshot.catalog.get();
    option.in_use = in_use[pool.metadata.name];
    option.in_use.Set("nodes", core::Quantity::FromInt(counts[pool.metadata.name]));
    if (option.catalog != nullptr) view.node_pools.push_back(std::move(option));
  }
  return view;
}

std::optional<double> CandidatePrice(const Candidate& candidate) {
  if (candidate.instance_type == nullptr) return std::nullopt;
  return OfferingPrice(*candidate.instance_type, candidate.node->Labels());
}

std::optional<double> NodePrice(const Snapshot& snapshot, const SnapshotNode& node) {
  if (!snapshot.catalog) return std::nullopt;
  const catalog::InstanceType* type =
      snapshot.catalog->Find(LabelOr(node.Labels(), catalog::kLabelInstanceType));
  if (type == nullptr) return std::nullopt;
  return OfferingPrice(*type, node.Labels());
}

scheduling::SchedulingResult SimulateRemoval(const SchedulingView& view,
                                             const std::vector<const Candidate*>& candidates) {
  // The view's nodes without the candidates (and without nodes being deleted, which the
  // shared context leaves out): the context shares everything else between simulations.
  std::vector<std::string_view> removed;
  std::vector<const api::Pod*> pending;
  for (const Candidate* candidate : candidates) {
    removed.push_back(candidate->Name());
    pending.insert(pending.end(), candidate->reschedulable_pods.begin(),
                   candidate->reschedulable_pods.end());
  }
  return SharedOf(view).context.Schedule(pending, removed);
}

std::string UnschedulableReason(const scheduling::SchedulingResult& result) {
  if (result.unschedulable.empty()) return "";
  const scheduling::UnschedulablePod& first = result.unschedulable.front();
  return "pod " + first.pod->metadata.namespace_ + "/" + first.pod->metadata.name +
         " cannot be rescheduled: " + first.reason;
}

std::optional<Replacement> MakeReplacement(const scheduling::NewNodeClaim& claim) {
  scheduling::Launch launch = scheduling::ChooseLaunch(claim);
  if (launch.offering == nullptr) return std::nullopt;
  Replacement replacement;
  replacement.node_pool = claim.node_pool;
  replacement.instance_type = launch.instance_type->name();
  for (const catalog::InstanceType* type : claim.instance_type_options) {
    replacement.instance_type_options.push_back(type->name());
  }
  replacement.capacity_type = std::string(catalog::ToString(launch.offering->capacity_type));
  replacement.price_per_hour = launch.offering->price;
  return replacement;
}

ConsolidationOutcome SimulateConsolidation(const Snapshot& snapshot, const SchedulingView& view,
                                           const std::vector<const Candidate*>& candidates,
                                           Method method, const ConsolidationOptions& options) {
  ConsolidationOutcome outcome;
  double candidates_price = 0;
  bool all_spot = true;
  for (const Candidate* candidate : candidates) {
    candidates_price += CandidatePrice(*candidate).value_or(0);
    all_spot &= LabelOr(candidate->node->Labels(), catalog::kLabelCapacityType) == kSpot;
  }
  scheduling::SchedulingResult result = SimulateRemoval(view, candidates);
  if (!result.unschedulable.empty()) {
    outcome.reason = UnschedulableReason(result);
    return outcome;
  }
  if (result.new_node_claims.size() > 1) {
    outcome.reason = "rescheduling the pods needs " +
                     std::to_string(result.new_node_claims.size()) + " new nodes";
    return outcome;
  }
  Command command{method, "Underutilized", {}, {}, std::nullopt};
  for (const Candidate* candidate : candidates) command.candidates.push_back(candidate->Name());
  if (result.new_node_claims.empty()) {
    command.savings_per_hour = candidates_price;
  } else {
    scheduling::NewNodeClaim claim = std::move(result.new_node_claims.front());
    const core::Requirement capacity_type = claim.requirements.Get(catalog::kLabelCapacityType);
    const bool spot_to_spot = all_spot && capacity_type.Has(kSpot);
    if (spot_to_spot && !options.spot_to_spot) {
      outcome.reason = "replacing spot with spot needs the SpotToSpotConsolidation feature";
      return outcome;
    }
    std::vector<const catalog::InstanceType*> cheaper;
    for (const catalog::InstanceType* type : claim.instance_type_options) {
      if (WorstLaunchPrice(*type, claim.requirements) < candidates_price) cheaper.push_back(type);
    }
    if (cheaper.empty()) {
      outcome.reason = "replacement not cheaper than " + Price(candidates_price);
      return outcome;
    }
    if (spot_to_spot) {
      if (candidates.size() == 1 && cheaper.size() < kMinSpotToSpotOptions) {
        outcome.reason = "spot-to-spot replacement needs " + std::to_string(kMinSpotToSpotOptions) +
                         " cheaper instance types, found " + std::to_string(cheaper.size());
        return outcome;
      }
      if (cheaper.size() > kMinSpotToSpotOptions) cheaper.resize(kMinSpotToSpotOptions);
    }
    claim.instance_type_options = std::move(cheaper);
    if (capacity_type.Has(kSpot) && capacity_type.Has(kOnDemand)) {
      claim.requirements.Add(
          core::Requirement::In(std::string(catalog::kLabelCapacityType), {std::string(kSpot)}));
    }
    std::optional<Replacement> replacement = MakeReplacement(claim);
    if (!replacement) {
      outcome.reason = "replacement has no available offering";
      return outcome;
    }
    command.savings_per_hour = candidates_price - replacement->price_per_hour;
    command.replacements.push_back(*std::move(replacement));
  }
  if (auto refusal = BalancedRefusal(snapshot, view, candidates, *command.savings_per_hour)) {
    outcome.reason = *std::move(refusal);
    return outcome;
  }
  outcome.command = std::move(command);
  return outcome;
}

std::vector<const Candidate*> ConsolidationCandidates(const Snapshot& snapshot,
                                                      const std::vector<Candidate>& candidates,
                                                      std::vector<BlockedNode>& blocked) {
  std::vector<const Candidate*> eligible;
  for (const Candidate& candidate : candidates) {
    if (candidate.reschedulable_pods.empty()) continue;  // emptiness's business
    const api::NodePool& pool = *candidate.node_pool;
    if (pool.spec.disruption.Policy() == api::ConsolidationPolicy::kWhenEmpty) {
      blocked.push_back({candidate.Name(), "NodePool \"" + pool.metadata.name +
                                               "\" has consolidationPolicy WhenEmpty"});
      continue;
    }
    if (auto reason = NotConsolidatableReason(*candidate.node, pool, snapshot.now)) {
      blocked.push_back({candidate.Name(), *std::move(reason)});
      continue;
    }
    if (!CandidatePrice(candidate)) {
      blocked.push_back({candidate.Name(), "the catalog has no price for the node's offering"});
      continue;
    }
    eligible.push_back(&candidate);
  }
  return eligible;
}

}  // namespace karpenter::disruption
