// The elimination trail of one pod (ExplainPod): at each attempt to place the traced pod, the
// solver re-runs the checks of that attempt against every existing node, NodeClaim and
// NodePool without changing anything, and keeps the detail it normally throws away.
#include <algorithm>
#include <utility>

#include "catalog/labels.h"
#include "scheduling/preferences.h"
#include "scheduling/solver.h"
#include "scheduling/type_trail.h"
#include "scheduling/well_known.h"

namespace karpenter::scheduling {
namespace {

std::string CheckName(FitCheck check) {
  switch (check) {
    case FitCheck::kNone: return "";
    case FitCheck::kTaints: return "taints";
    case FitCheck::kResources: return "resources";
    case FitCheck::kHostPorts: return "host ports";
    case FitCheck::kRequirements: return "requirements";
    case FitCheck::kTopology: return "topology";
    case FitCheck::kInstanceTypes: return "instance types";
  }
  return "";
}

}  // namespace

void Solver::TraceAttempt(int class_id) {
  PodTrail& trail = *trail_;
  ++trail.attempts;
  trail.existing_nodes.clear();
  trail.in_flight.clear();
  trail.in_flight_tried = 0;
  trail.node_pools.clear();
  TraceExisting(class_id);
  bool taken = !trail.existing_nodes.empty() && trail.existing_nodes.back().check.empty();
  if (!taken) TraceInFlight(class_id);
  for (size_t p = 0; p < pools_.size(); ++p) trail.node_pools.push_back(TracePool(p, class_id));
}

void Solver::TraceExisting(int class_id) {
  const Dense& pod = classes_[class_id].requests;
  for (size_t slot = 0; slot < existing_.size(); ++slot) {
    if (Excluded(slot)) continue;
    const ExistingState& node = NodeAt(slot);
    NodeCheck check{node.node->name, "", ""};
    Fit fit;
    if (!FitExisting(node, class_id, fit, /*explain=*/true)) {
      check.check = CheckName(fit.failed);
      check.reason = fit.message;
      if (fit.failed == FitCheck::kResources) {
        // Name the first resource short, with what is left of it.
        for (size_t r = 0; r < pod.size(); ++r) {
          core::Int128 free = node.available[r] - node.requests[r];
          if (node.available[r] >= 0 && pod[r] <= free) continue;
          const std::string& name = resources_.name(r);
          check.reason = node.available[r] < 0
                             ? "the node is over-committed on " + name
                             : name + " " + FormatAmount(name, pod[r]) + " > " +
                                   FormatAmount(name, std::max<core::Int128>(free, 0)) + " free";
          break;
        }
      }
    }
    trail_->existing_nodes.push_back(std::move(check));
    if (trail_->existing_nodes.back().check.empty()) return;
  }
  for (size_t n = 0; n < input_.existing_nodes.size(); ++n) {
    const ExistingNode& node = input_.existing_nodes[n];
    if (!node.marked_for_deletion || std::binary_search(removed_.begin(), removed_.end(), n)) {
      continue;
    }
    trail_->existing_nodes.push_back(
        {node.name, "marked for deletion", "the node is being deleted or cordoned"});
  }
}

void Solver::TraceInFlight(int class_id) {
  Grouper refused;
  for (size_t count = 0; count < buckets_.size(); ++count) {
    for (int id = buckets_[count].first; id >= 0; id = claims_[id].next) {
      ++trail_->in_flight_tried;
      Fit fit;
      FilterOutcome outcome;
      if (FitClaim(claims_[id], class_id, fit, &outcome)) {
        trail_->in_flight = refused.Take();
        return;
      }
      const std::string name =
          "nodeclaim " + std::to_string(id) + " (" + pools_[claims_[id].pool].name + ")";
      refused.Add(0, CheckName(fit.failed) + ": " + fit.message, name);
    }
  }
  trail_->in_flight = refused.Take();
}

NodePoolCheck Solver::TracePool(size_t p, int class_id) {
  PoolState& pool = pools_[p];
  NodePoolCheck out;
  out.node_pool = pool.name;
  out.weight = pool.weight;
  out.catalog_types = pool.catalog_types.size();
  out.pool_types = pool.all.size();
  if (pool.all.empty()) {
    out.check = "instance types";
    out.reason = "its requirements allow no instance type with an offering";
    return out;
  }
  std::vector<TypeIndex> options = WithinLimits(p);
  const Dense& remaining = remaining_[p];
  Grouper limits;
  for (TypeIndex i : pool.all) {
    const Dense& capacity = pool.types.at(i).capacity;
    for (size_t r : pool.limited) {
      if (capacity[r] <= remaining[r]) continue;
      const std::string& name = resources_.name(r);
      limits.Add(0,
                 name + " capacity above the " +
                     FormatAmount(name, std::max<core::Int128>(remaining[r], 0)) +
                     " left of limit " + name + "=" + FormatAmount(name, pool.limits[r]),
                 pool.types.at(i).type->name());
      break;
    }
  }
  out.eliminated = limits.Take();
  if (options.empty()) {
    out.check = "limits";
    out.reason = LimitReason(pool);
    return out;
  }
  // The claim TryNew would open, under a hostname no real claim gets; its domain is
  // unregistered again, so the run goes on as if the trace had not happened.
  ClaimState claim = NewClaim(p, options, "hostname-placeholder-trace");
  topology_->Register(kLabelHostname, claim.hostname);
  Fit fit;
  FilterOutcome outcome;
  bool fits = FitClaim(claim, class_id, fit, &outcome);
  topology_->Unregister(kLabelHostname, claim.hostname);
  if (!fit.narrowed) fit.requirements = claim.requirements;
  for (const auto& [key, requirement] : fit.domains) {
    if (key == kLabelHostname) continue;
    out.topology += (out.topology.empty() ? "" : ", ") + requirement.ToString();
  }
  if (!fits) {
    out.check = CheckName(fit.failed);
    out.reason = fit.message;
    if (fit.failed != FitCheck::kInstanceTypes) return out;
  }
  ExplainTypes(pool.types, options, fit.requirements, fit.requests, resources_, out);
  return out;
}

void Solver::TraceOutcome(const api::Pod* pod, int class_id,
                          const std::optional<std::string>& error) {
  PodTrail& trail = *trail_;
  trail.node.clear();
  trail.node_pool.clear();
  trail.node_claim = -1;
  trail.reason.clear();
  if (error) {
    trail.outcome = TrailOutcome::kUnschedulable;
    trail.reason = *error;
    if (!classes_[class_id].invalid.empty()) return;  // the solver gives up on these at once
    PodConstraints relaxed = classes_[class_id].constraints;
    if (std::optional<std::string> what = Relax(relaxed, prepared_.tolerate_prefer_no_schedule)) {
      trail.relaxations.push_back(*what);
    }
    return;
  }
  for (const ExistingState& node : own_existing_) {
    if (std::find(node.placed.begin(), node.placed.end(), pod) == node.placed.end()) continue;
    trail.outcome = TrailOutcome::kExistingNode;
    trail.node = node.node->name;
    return;
  }
  for (size_t id = 0; id < claims_.size(); ++id) {
    const ClaimState& claim = claims_[id];
    if (std::find(claim.pods.begin(), claim.pods.end(), pod) == claim.pods.end()) continue;
    trail.outcome = claim.pods.size() == 1 && claim.pods.front() == pod
                        ? TrailOutcome::kNewNodeClaim
                        : TrailOutcome::kInFlightNodeClaim;
    trail.node_claim = static_cast<int>(id);
    trail.node_pool = pools_[claim.pool].name;
    return;
  }
}

PodTrail ExplainPod(const SchedulingInput& input, const api::Pod& pod) {
  const api::Pod* traced = nullptr;
  for (const api::Pod* pending : input.pending) {
    if (pending == &pod) traced = pending;
  }
  for (const api::Pod* pending : input.pending) {
    if (traced == nullptr && pending->metadata.namespace_ == pod.metadata.namespace_ &&
        pending->metadata.name == pod.metadata.name) {
      traced = pending;
    }
  }
  SchedulingInput with_pod;
  const SchedulingInput* run = &input;
  if (traced == nullptr) {
    with_pod = input;
    with_pod.pending.push_back(&pod);
    traced = &pod;
    run = &with_pod;
  }
  PodTrail trail;
  trail.pod = pod.metadata.namespace_ + "/" + pod.metadata.name;
  Solver solver(*run);
  solver.Trace(traced, &trail);
  solver.Run();
  return trail;
}

}  // namespace karpenter::scheduling
