#include "scheduling/scheduler.h"

#include <algorithm>
#include <limits>
#include <set>
#include <tuple>

#include "catalog/labels.h"
#include "scheduling/queue.h"
#include "scheduling/solver.h"
#include "scheduling/well_known.h"

namespace karpenter::scheduling {
namespace {

constexpr size_t kMaxInstanceTypes = 600;

// A finished claim's requirements: without the hostname (it only told this run's topology the
// claims apart; it is no node's name), and with the capacity type narrowed to what some option
// offers.
core::Requirements FinalRequirements(const core::Requirements& claim,
                                     const std::set<std::string>& offered_capacity_types) {
  std::vector<std::string> offered(offered_capacity_types.begin(), offered_capacity_types.end());
  core::Requirements requirements;
  for (const auto& [key, requirement] : claim) {
    if (key == kLabelHostname) continue;
    if (key == catalog::kLabelCapacityType && !offered.empty()) {
      requirements.Add(requirement.Intersection(
          core::Requirement::In(std::string(catalog::kLabelCapacityType), offered)));
      continue;
    }
    requirements.Add(requirement);
  }
  if (!requirements.Has(catalog::kLabelCapacityType) && !offered.empty()) {
    requirements.Add(core::Requirement::In(std::string(catalog::kLabelCapacityType), offered));
  }
  return requirements;
}

}  // namespace

const catalog::Offering* CheapestAllowed(const catalog::InstanceType& type,
                                         const core::Requirement& zone,
                                         const core::Requirement& capacity_type) {
  const catalog::Offering* best = nullptr;
  for (const catalog::Offering& offering : type.offerings()) {
    if (!offering.available || !zone.Has(offering.zone) ||
        !capacity_type.Has(catalog::ToString(offering.capacity_type))) {
      continue;
    }
    // Spot first at equal price (the AWS provider launches spot when it is allowed).
    auto key = [](const catalog::Offering& o) {
      return std::make_tuple(o.price, o.capacity_type != catalog::CapacityType::kSpot, o.zone);
    };
    if (best == nullptr || key(offering) < key(*best)) best = &offering;
  }
  return best;
}

SchedulingResult Solver::Run() {
  const size_t n = pending_.size();
  std::vector<int> class_of(n);
  std::vector<PodSortKey> keys(n);
  const size_t cpu = resources_.Find(core::kCPU), memory = resources_.Find(core::kMemory);
  for (size_t i = 0; i < n; ++i) {
    const api::Pod& pod = *pending_[i];
    class_of[i] = ClassFor(ConstraintsOf(pod));
    const PodClass& pod_class = classes_[class_of[i]];
    keys[i] = {pod_class.requests[cpu], pod_class.requests[memory],
               pod.metadata.creation_timestamp.value_or(std::numeric_limits<int64_t>::min()),
               pod.metadata.uid};
  }
  std::vector<int> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = static_cast<int>(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return SortsBefore(keys[a], keys[b]); });

  std::vector<std::optional<std::string>> errors(n);
  Queue queue(order, n);
  while (std::optional<int> next = queue.Pop()) {
    const int i = *next;
    const api::Pod* pod = pending_[i];
    const PodClass& pod_class = classes_[class_of[i]];
    const bool traced = pod == traced_;
    if (!pod_class.invalid.empty()) {
      errors[i] = "invalid node affinity: " + pod_class.invalid;
      if (traced) TraceOutcome(pod, class_of[i], errors[i]);
      continue;  // relaxing cannot fix a malformed requirement it keeps
    }
    if (traced) TraceAttempt(class_of[i]);
    if (TryExisting(pod, class_of[i]) || TryInFlight(pod, class_of[i])) {
      errors[i].reset();
    } else {
      errors[i] = TryNew(pod, class_of[i]);
    }
    if (traced) TraceOutcome(pod, class_of[i], errors[i]);
    if (!errors[i]) continue;
    int relaxed = RelaxedClass(class_of[i]);
    if (relaxed >= 0) class_of[i] = relaxed;
    queue.Push(i, relaxed >= 0);
  }

  SchedulingResult result;
  for (const ClaimState& claim : claims_) result.new_node_claims.push_back(Finish(claim));
  std::vector<const ExistingState*> placed;
  for (const ExistingState& node : own_existing_) {
    if (!node.placed.empty()) placed.push_back(&node);
  }
  std::sort(placed.begin(), placed.end(),
            [](const auto* a, const auto* b) { return a->input_index < b->input_index; });
  for (const ExistingState* node : placed) {
    result.existing_node_placements.push_back({node->node->name, node->placed});
  }
  for (size_t i = 0; i < n; ++i) {
    if (errors[i]) result.unschedulable.push_back({pending_[i], *errors[i]});
  }
  return result;
}

NewNodeClaim Solver::Finish(const ClaimState& claim) {
  PoolState& pool = pools_[claim.pool];
  NewNodeClaim out;
  out.node_pool = pool.name;
  const core::Requirement zone = claim.requirements.Get(catalog::kLabelZone);
  const core::Requirement capacity_type = claim.requirements.Get(catalog::kLabelCapacityType);
  // Options cheapest first (then by name): walk the pool's precomputed order, keeping options.
  const PoolTypes::OfferingView& view = pool.types.Offerings(zone, capacity_type);
  std::vector<uint64_t> member((pool.types.size() + 63) / 64, 0);
  uint8_t offered = 0;
  for (TypeIndex i : claim.options) {
    member[i >> 6] |= uint64_t{1} << (i & 63);
    offered |= view.capacity_types[i];
  }
  const size_t kept = std::min(claim.options.size(), kMaxInstanceTypes);
  out.instance_type_options.reserve(kept);
  Dense overhead;
  for (TypeIndex i : view.order) {
    if (out.instance_type_options.size() == kept) break;
    if (!((member[i >> 6] >> (i & 63)) & 1)) continue;
    out.instance_type_options.push_back(pool.types.at(i).type);
    const Dense& own = pool.types.overhead_of(i);
    if (overhead.empty()) {
      overhead = own;
    } else {
      for (size_t r = 0; r < own.size(); ++r) overhead[r] = std::min(overhead[r], own[r]);
    }
  }
  // Capacity types some option offers, in name order.
  std::set<std::string> offered_capacity_types;
  for (catalog::CapacityType type : {catalog::CapacityType::kOnDemand, catalog::CapacityType::kSpot,
                                     catalog::CapacityType::kReserved}) {
    if (offered & (1u << static_cast<int>(type))) {
      offered_capacity_types.insert(std::string(catalog::ToString(type)));
    }
  }
  out.requirements = FinalRequirements(claim.requirements, offered_capacity_types);
  out.pods = claim.pods;
  Dense requests = claim.requests;
  if (!overhead.empty()) AddInto(requests, overhead);
  out.daemon_overhead = overhead.empty() ? core::ResourceList{} : ToList(overhead, resources_);
  out.daemon_overhead.Erase("nodes");
  out.requests = ToList(requests, resources_);
  out.requests.Erase("nodes");
  out.taints = pool.taints;
  return out;
}

SchedulingResult Schedule(const SchedulingInput& input) {
  Solver solver(input);
  return solver.Run();
}

Launch ChooseLaunch(const NewNodeClaim& claim) {
  const core::Requirement zone = claim.requirements.Get(catalog::kLabelZone);
  const core::Requirement capacity_type = claim.requirements.Get(catalog::kLabelCapacityType);
  Launch best;
  for (const catalog::InstanceType* type : claim.instance_type_options) {
    const catalog::Offering* offering = CheapestAllowed(*type, zone, capacity_type);
    if (offering == nullptr) continue;
    bool better = best.offering == nullptr || offering->price < best.offering->price ||
                  (offering->price == best.offering->price &&
                   offering->capacity_type == catalog::CapacityType::kSpot &&
                   best.offering->capacity_type != catalog::CapacityType::kSpot);
    if (better) best = {type, offering};
  }
  return best;
}

}  // namespace karpenter::scheduling
