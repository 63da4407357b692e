// Placing pods on NodeClaims this run creates (upstream NodeClaim.Add and
// addToInflightNode / addToNewNodeClaim).
#include <algorithm>
#include <cstdio>
#include <limits>

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

// Whether Narrow(target, add) would change `target`, without copying it: both maps are sorted
// by key, so one walk over the two suffices.
bool WouldNarrow(const core::Requirements& target, const core::Requirements& add) {
  auto current = target.begin();
  for (const auto& [key, requirement] : add) {
    while (current != target.end() && current->first < key) ++current;
    if (current == target.end() || current->first != key) return true;
    if (current->second == requirement) continue;
    if (current->second.Intersection(requirement) != current->second) return true;
  }
  return false;
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
  if (dead_claims_.size() <= static_cast<size_t>(class_id)) dead_claims_.resize(class_id + 1, 0);
  // Every claim has ruled this class out for good (hostname anti-affinity, typically): skip
  // the walk.
  if (dead_claims_[class_id] == claims_.size()) return false;
  // Fewest pods first; within a count, the order a stable sort would keep.
  for (size_t count = 0; count < buckets_.size(); ++count) {
    for (int id = buckets_[count].first; id >= 0; id = claims_[id].next) {
      ClaimState& claim = claims_[id];
      if (static_cast<size_t>(class_id) < claim.dead.size() && claim.dead[class_id]) continue;
      Fit fit;
      if (FitClaim(claim, class_id, fit, nullptr)) {
        // Move the claim from `count` to the front of count + 1.
        Unlink(id);
        CommitToClaim(claim, pod, class_id, fit);
        PushFront(claim.pods.size(), id);
        return true;
      }
      if (fit.permanent) {
        if (claim.dead.size() <= static_cast<size_t>(class_id)) claim.dead.resize(class_id + 1, 0);
        claim.dead[class_id] = 1;
        if (++dead_claims_[class_id] == claims_.size()) return false;
      }
      if (fit.failed == FitCheck::kInstanceTypes && claim.bound_options != claim.options.size()) {
        UpdateBound(claim);
      }
    }
  }
  return false;
}

void Solver::UpdateBound(ClaimState& claim) const {
  const PoolTypes& types = pools_[claim.pool].types;
  claim.bound.assign(resources_.size(), std::numeric_limits<core::Int128>::min());
  for (TypeIndex i : claim.options) {
    const Dense& allocatable = types.at(i).allocatable;
    const Dense& overhead = types.overhead_of(i);
    for (size_t r = 0; r < claim.bound.size(); ++r) {
      claim.bound[r] = std::max(claim.bound[r], allocatable[r] - overhead[r]);
    }
  }
  claim.bound_options = claim.options.size();
}

std::vector<TypeIndex> Solver::WithinLimits(size_t p) const {
  const PoolState& pool = pools_[p];
  if (pool.limited.empty()) return pool.all;
  const Dense& remaining = remaining_[p];
  std::vector<TypeIndex> kept;
  for (TypeIndex i : pool.all) {
    const Dense& capacity = pool.types.at(i).capacity;
    bool ok = std::all_of(pool.limited.begin(), pool.limited.end(),
                          [&](size_t r) { return capacity[r] <= remaining[r]; });
    if (ok) kept.push_back(i);
  }
  return kept;
}

std::string Solver::LimitReason(const PoolState& pool) const {
  std::string which;
  for (size_t r : pool.limited) {
    which += (which.empty() ? "" : ", ") + resources_.name(r) + "=" +
             FormatAmount(resources_.name(r), pool.limits[r]);
  }
  return "limit " + which + " reached";
}

ClaimState Solver::NewClaim(size_t p, std::vector<TypeIndex> options, std::string hostname) const {
  const PoolState& pool = pools_[p];
  ClaimState claim;
  claim.pool = static_cast<int>(p);
  claim.hostname = std::move(hostname);
  claim.requirements = pool.requirements;
  claim.requirements.Add(core::Requirement::In(std::string(kLabelHostname), {claim.hostname}));
  claim.options = std::move(options);
  claim.requests = Dense(resources_.size(), 0);
  claim.ports = pool.daemon_ports;
  return claim;
}

std::optional<std::string> Solver::TryNew(const api::Pod* pod, int class_id) {
  if (pools_.empty()) return "no NodePool is ready";
  // First without words: a pod usually fits some NodePool, and the reasons the ones before it
  // refused are then thrown away. Each NodePool's claim keeps its hostname for the words.
  std::vector<std::string> hostnames(pools_.size());
  for (size_t p = 0; p < pools_.size(); ++p) {
    PoolState& pool = pools_[p];
    if (pool.all.empty()) continue;
    std::vector<TypeIndex> options = WithinLimits(p);
    if (options.empty()) continue;
    char hostname[48];
    std::snprintf(hostname, sizeof hostname, "hostname-placeholder-%04d", ++hostname_counter_);
    hostnames[p] = hostname;
    ClaimState claim = NewClaim(p, std::move(options), hostname);
    topology_->Register(kLabelHostname, claim.hostname);
    Fit fit;
    if (!FitClaim(claim, class_id, fit, nullptr)) {
      topology_->Unregister(kLabelHostname, claim.hostname);
      continue;
    }
    CommitToClaim(claim, pod, class_id, fit);
    // Count the claim at its largest option against the NodePool's limits.
    for (size_t r : pool.limited) {
      core::Int128 largest = 0;
      for (TypeIndex i : claim.options) largest = std::max(largest, pool.types.at(i).capacity[r]);
      remaining_[p][r] -= largest;
    }
    claims_.push_back(std::move(claim));
    PushBack(1, static_cast<int>(claims_.size()) - 1);
    return std::nullopt;
  }
  return WhyNoNewClaim(class_id, hostnames);
}

std::string Solver::WhyNoNewClaim(int class_id, const std::vector<std::string>& hostnames) {
  // Nothing changed since TryNew's attempts failed, so the same checks fail the same way.
  std::vector<std::string> reasons;
  for (size_t p = 0; p < pools_.size(); ++p) {
    PoolState& pool = pools_[p];
    const std::string prefix = "nodepool \"" + pool.name + "\": ";
    if (pool.all.empty()) {
      reasons.push_back(prefix + "its requirements allow no instance type with an offering");
      continue;
    }
    std::vector<TypeIndex> options = WithinLimits(p);
    if (options.empty()) {
      reasons.push_back(prefix + LimitReason(pool));
      continue;
    }
    ClaimState claim = NewClaim(p, std::move(options), hostnames[p]);
    topology_->Register(kLabelHostname, claim.hostname);
    Fit fit;
    FilterOutcome outcome;
    FitClaim(claim, class_id, fit, &outcome);
    topology_->Unregister(kLabelHostname, claim.hostname);
    reasons.push_back(prefix + fit.message);
  }
  return JoinReasons(reasons);
}

bool Solver::FitClaim(const ClaimState& claim, int class_id, Fit& fit, FilterOutcome* outcome) {
  PodClass& pod_class = classes_[class_id];
  PoolState& pool = pools_[claim.pool];
  const core::AllowUndefinedKeys& allow = WellKnownLabels();
  auto fail = [&fit](FitCheck check, std::string message) {
    fit.failed = check;
    fit.message = std::move(message);
    return false;
  };
  // When nobody reads the words, first the cheapest and most selective check: a claim that
  // has filled up fails here without copying its requirements. Its bound only overstates what
  // the options can take (options only shrink), and requests only grow, so a pod that does not
  // fit it never will: the failure is permanent.
  if (outcome == nullptr && !claim.bound.empty() &&
      !FitsSum(claim.requests, pod_class.requests, claim.bound)) {
    return fail(FitCheck::kInstanceTypes, "");
  }
  if (!ToleratesAllTaints(pod_class.constraints.tolerations, pool.taints)) {
    return fail(FitCheck::kTaints, outcome != nullptr ? TaintMessage(pod_class, pool.taints) : "");
  }
  if (auto conflict = HostPortConflict(pod_class.constraints.host_ports, claim.ports)) {
    return fail(FitCheck::kHostPorts, std::move(*conflict));
  }
  if (!claim.requirements.Compatible(pod_class.requirements, allow)) {
    return fail(FitCheck::kRequirements,
                outcome == nullptr ? ""
                                   : ExplainIncompatible(claim.requirements, pod_class.requirements,
                                                         allow, "NodePool \"" + pool.name + "\""));
  }
  if (!NarrowClaim(claim, class_id, fit, outcome != nullptr)) return false;
  const core::Requirements* requirements = fit.narrowed ? &fit.requirements : &claim.requirements;
  fit.requests = claim.requests;
  AddInto(fit.requests, pod_class.requests);
  if (!fit.narrowed && !claim.pods.empty() && outcome == nullptr) {
    // The options were filtered under these very requirements when the last pod joined: only
    // resources (and minValues over what is left) can rule any out now.
    fit.options = pool.types.FilterFits(claim.options, *requirements, fit.requests);
  } else {
    fit.options =
        pool.types.Filter(claim.options, *requirements, fit.requests, outcome, resources_);
  }
  if (fit.options.empty()) {
    return fail(FitCheck::kInstanceTypes, outcome != nullptr ? outcome->Explain() : "");
  }
  return true;
}

bool Solver::NarrowClaim(const ClaimState& claim, int class_id, Fit& fit, bool explain) {
  const PodClass& pod_class = classes_[class_id];
  const PoolState& pool = pools_[claim.pool];
  const core::AllowUndefinedKeys& allow = WellKnownLabels();
  // Copy the claim's requirements only when the pod or its topology narrows them (most pods
  // joining a claim do not).
  const core::Requirements* requirements = &claim.requirements;
  auto narrow = [&](const core::Requirements& add) {
    if (!fit.narrowed) {
      fit.requirements = claim.requirements;
      fit.narrowed = true;
      requirements = &fit.requirements;
    }
    Narrow(fit.requirements, add);
  };
  if (WouldNarrow(claim.requirements, pod_class.requirements)) narrow(pod_class.requirements);
  if (!topology_->Constrains(pod_class)) return true;
  auto domains =
      topology_->AddRequirements(pod_class, pool.taints, *requirements, allow, explain);
  if (!domains) {
    fit.permanent = domains.error().permanent;
    fit.failed = FitCheck::kTopology;
    fit.message = std::move(domains.error().message);
    return false;
  }
  if (auto compatible = requirements->Compatible(*domains, allow); !compatible) {
    fit.permanent = false;
    fit.failed = FitCheck::kTopology;
    fit.message = std::move(compatible.error().message);
    return false;
  }
  if (WouldNarrow(*requirements, *domains)) {
    narrow(*domains);
    fit.permanent = false;
  }
  fit.domains = std::move(*domains);
  return true;
}

void Solver::CommitToClaim(ClaimState& claim, const api::Pod* pod, int class_id, Fit& fit) {
  const PodClass& pod_class = classes_[class_id];
  claim.options = std::move(fit.options);
  claim.requests = std::move(fit.requests);
  if (fit.narrowed) claim.requirements = std::move(fit.requirements);
  claim.pods.push_back(pod);
  claim.ports.insert(claim.ports.end(), pod_class.constraints.host_ports.begin(),
                     pod_class.constraints.host_ports.end());
  topology_->Record(pod_class, pools_[claim.pool].taints, claim.requirements, WellKnownLabels());
}

}  // namespace karpenter::scheduling
