// Placing pods on NodeClaims this run creates (upstream NodeClaim.Add and
// addToInflightNode / addToNewNodeClaim).
#include <algorithm>
#include <cstdio>

#include "scheduling/explain.h"
#include "scheduling/solver.h"
#include "scheduling/well_known.h"

namespace karpenter::scheduling {
namespace {

// Narrows `target` by `add`; returns whether anything changed.
bool Narrow(core::Requirements& target, const core::Requirements& add) {
  bool changed = false;
  for (const auto& [key, requirement] : add) {
    if (target.Has(key)) {
      core::Requirement current = target.Get(key);
      if (current.Intersection(requirement) == current) continue;
    }
    target.Add(requirement);
    changed = true;
  }
  return changed;
}

}  // namespace

void Solver::Unlink(int id) {
  ClaimState& claim = claims_[id];
  size_t count = claim.pods.size();
  auto& [head, tail] = buckets_[count];
  if (claim.prev >= 0) claims_[claim.prev].next = claim.next; else head = claim.next;
  if (claim.next >= 0) claims_[claim.next].prev = claim.prev; else tail = claim.prev;
  claim.prev = claim.next = -1;
}

void Solver::PushFront(size_t count, int id) {
  if (buckets_.size() <= count) buckets_.resize(count + 1, {-1, -1});
  auto& [head, tail] = buckets_[count];
  claims_[id].next = head;
  claims_[id].prev = -1;
  if (head >= 0) claims_[head].prev = id; else tail = id;
  head = id;
}

void Solver::PushBack(size_t count, int id) {
  if (buckets_.size() <= count) buckets_.resize(count + 1, {-1, -1});
  auto& [head, tail] = buckets_[count];
  claims_[id].prev = tail;
  claims_[id].next = -1;
  if (tail >= 0) claims_[tail].next = id; else head = id;
  tail = id;
}

bool Solver::TryInFlight(const api::Pod* pod, int class_id) {
  // Fewest pods first; within a count, the order a stable sort would keep.
  for (size_t count = 0; count < buckets_.size(); ++count) {
    for (int id = buckets_[count].first; id >= 0; id = claims_[id].next) {
      ClaimState& claim = claims_[id];
      if (static_cast<size_t>(class_id) < claim.dead.size() && claim.dead[class_id]) continue;
      bool permanent = false;
      // Unlink before adding: a successful add changes the claim's count.
      std::optional<std::string> error = AddToClaim(claim, pod, class_id, &permanent);
      if (!error) {
        // AddToClaim appended the pod: move the claim from `count` to the front of count + 1.
        claim.pods.pop_back();
        Unlink(id);
        claim.pods.push_back(pod);
        PushFront(claim.pods.size(), id);
        return true;
      }
      if (permanent) {
        if (claim.dead.size() <= static_cast<size_t>(class_id)) claim.dead.resize(class_id + 1, 0);
        claim.dead[class_id] = 1;
      }
    }
  }
  return false;
}

std::vector<TypeIndex> Solver::WithinLimits(const PoolState& pool) const {
  if (pool.limited.empty()) return pool.all;
  std::vector<TypeIndex> kept;
  for (TypeIndex i : pool.all) {
    const Dense& capacity = pool.types.at(i).capacity;
    bool ok = std::all_of(pool.limited.begin(), pool.limited.end(),
                          [&](size_t r) { return capacity[r] <= pool.remaining[r]; });
    if (ok) kept.push_back(i);
  }
  return kept;
}

std::optional<std::string> Solver::TryNew(const api::Pod* pod, int class_id) {
  if (pools_.empty()) return "no NodePool is ready";
  std::vector<std::string> reasons;
  for (size_t p = 0; p < pools_.size(); ++p) {
    PoolState& pool = pools_[p];
    const std::string prefix = "nodepool \"" + pool.name + "\": ";
    if (pool.all.empty()) {
      reasons.push_back(prefix + "its requirements allow no instance type with an offering");
      continue;
    }
    std::vector<TypeIndex> options = WithinLimits(pool);
    if (options.empty()) {
      std::string which;
      for (size_t r : pool.limited) {
        which += (which.empty() ? "" : ", ") + resources_.name(r) + "=" +
                 FormatAmount(resources_.name(r), pool.limits[r]);
      }
      reasons.push_back(prefix + "limit " + which + " reached");
      continue;
    }
    char hostname[48];
    std::snprintf(hostname, sizeof hostname, "hostname-placeholder-%04d", ++hostname_counter_);
    ClaimState claim;
    claim.pool = static_cast<int>(p);
    claim.hostname = hostname;
    claim.requirements = pool.requirements;
    claim.requirements.Add(core::Requirement::In(std::string(kLabelHostname), {claim.hostname}));
    claim.options = std::move(options);
    claim.requests = Dense(resources_.size(), 0);
    claim.ports = pool.daemon_ports;
    topology_->Register(kLabelHostname, claim.hostname);
    bool permanent = false;
    if (std::optional<std::string> error = AddToClaim(claim, pod, class_id, &permanent)) {
      topology_->Unregister(kLabelHostname, claim.hostname);
      reasons.push_back(prefix + *error);
      continue;
    }
    // Count the claim at its largest option against the NodePool's limits.
    for (size_t r : pool.limited) {
      core::Int128 largest = 0;
      for (TypeIndex i : claim.options) largest = std::max(largest, pool.types.at(i).capacity[r]);
      pool.remaining[r] -= largest;
    }
    claims_.push_back(std::move(claim));
    PushBack(1, static_cast<int>(claims_.size()) - 1);
    return std::nullopt;
  }
  return JoinReasons(reasons);
}

std::optional<std::string> Solver::AddToClaim(ClaimState& claim, const api::Pod* pod,
                                              int class_id, bool* permanent) {
  PodClass& pod_class = classes_[class_id];
  PoolState& pool = pools_[claim.pool];
  const core::AllowUndefinedKeys& allow = WellKnownLabels();
  *permanent = true;
  if (auto tolerated = core::ToleratesAll(pod_class.constraints.tolerations, pool.taints);
      !tolerated) {
    return tolerated.error().message;
  }
  if (auto conflict = HostPortConflict(pod_class.constraints.host_ports, claim.ports)) {
    return conflict;
  }
  if (!claim.requirements.Compatible(pod_class.requirements, allow)) {
    return ExplainIncompatible(claim.requirements, pod_class.requirements, allow,
                               "NodePool \"" + pool.name + "\"");
  }
  core::Requirements requirements = claim.requirements;
  Narrow(requirements, pod_class.requirements);
  if (topology_->Constrains(pod_class)) {
    auto domains = topology_->AddRequirements(pod_class, pool.taints, requirements, allow);
    if (!domains) {
      *permanent = domains.error().permanent;
      return domains.error().message;
    }
    if (auto compatible = requirements.Compatible(*domains, allow); !compatible) {
      *permanent = false;
      return compatible.error().message;
    }
    if (Narrow(requirements, *domains)) *permanent = false;
  }
  Dense requests = claim.requests;
  AddInto(requests, pod_class.requests);
  FilterOutcome outcome;
  std::vector<TypeIndex> options =
      pool.types.Filter(claim.options, requirements, requests, &outcome, resources_);
  if (options.empty()) return outcome.Explain();
  claim.options = std::move(options);
  claim.requests = std::move(requests);
  claim.requirements = std::move(requirements);
  claim.pods.push_back(pod);
  claim.ports.insert(claim.ports.end(), pod_class.constraints.host_ports.begin(),
                     pod_class.constraints.host_ports.end());
  topology_->Record(pod_class, pool.taints, claim.requirements, allow);
  return std::nullopt;
}

}  // namespace karpenter::scheduling
