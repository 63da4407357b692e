// Placing pods on capacity that already exists (upstream ExistingNode): registered nodes and
// NodeClaims launched before this run. They cannot change size or labels, so resources are
// checked first and requirements must be met by the node's actual labels.
#include <algorithm>

#include "api/model/pod_requests.h"
#include "scheduling/explain.h"
#include "scheduling/solver.h"
#include "scheduling/well_known.h"

namespace karpenter::scheduling {
namespace {

bool OwnedByDaemonSet(const api::Pod& pod) {
  return std::any_of(pod.metadata.owner_references.begin(), pod.metadata.owner_references.end(),
                     [](const api::OwnerReference& owner) { return owner.kind == "DaemonSet"; });
}

}  // namespace

void Solver::PrepareExisting() {
  for (size_t n = 0; n < input_.existing_nodes.size(); ++n) {
    const ExistingNode& node = input_.existing_nodes[n];
    if (node.marked_for_deletion) continue;
    ExistingState state;
    state.node = &node;
    state.input_index = n;
    state.hostname = *NodeDomain(node, std::string(kLabelHostname));
    state.requirements = core::Requirements::FromNodeSelector(node.labels);
    state.requirements.Add(core::Requirement::In(std::string(kLabelHostname), {state.hostname}));
    state.taints = WithoutEphemeralTaints(node.taints);
    state.available = ToDense(node.allocatable, resources_);
    Dense daemon_pods(resources_.size(), 0);
    for (const api::Pod* pod : node.pods) {
      core::ResourceList requests = api::EffectiveRequests(*pod);
      requests.Set(core::kPods, core::Quantity::FromInt(1));
      Dense dense = ToDense(requests, resources_);
      state.available = Minus(state.available, dense);
      if (OwnedByDaemonSet(*pod)) AddInto(daemon_pods, dense);
      std::vector<HostPort> ports = HostPortsOf(pod->spec);
      state.ports.insert(state.ports.end(), ports.begin(), ports.end());
    }
    // DaemonSets that will still land on the node: their requests minus the daemon pods
    // already there, never below zero (as upstream).
    core::Requirements labels = core::Requirements::FromNodeSelector(node.labels);
    Dense daemons(resources_.size(), 0);
    for (const DaemonPod& daemon : daemons_) {
      if (DaemonRunsOn(daemon, state.taints, labels, {})) {
        AddInto(daemons, ToDense(daemon.constraints.requests, resources_));
      }
    }
    state.requests = Minus(daemons, daemon_pods);
    for (core::Int128& amount : state.requests) amount = std::max<core::Int128>(amount, 0);
    existing_.push_back(std::move(state));
  }
  // As upstream: initialized nodes first, then by name.
  std::stable_sort(existing_.begin(), existing_.end(),
                   [](const ExistingState& a, const ExistingState& b) {
                     if (a.node->initialized != b.node->initialized) return a.node->initialized;
                     return a.node->name < b.node->name;
                   });
}

bool Solver::TryExisting(const api::Pod* pod, int class_id) {
  for (ExistingState& node : existing_) {
    if (static_cast<size_t>(class_id) < node.dead.size() && node.dead[class_id]) continue;
    bool permanent = false;
    if (!AddToExisting(node, pod, class_id, &permanent)) return true;
    if (permanent) {
      if (node.dead.size() <= static_cast<size_t>(class_id)) node.dead.resize(class_id + 1, 0);
      node.dead[class_id] = 1;
    }
  }
  return false;
}

bool Solver::FitExisting(const ExistingState& node, int class_id, Fit& fit, bool explain) {
  const PodClass& pod_class = classes_[class_id];
  auto fail = [&fit](FitCheck check, std::string message) {
    fit.failed = check;
    fit.message = std::move(message);
    return false;
  };
  if (!ToleratesAllTaints(pod_class.constraints.tolerations, node.taints)) {
    return fail(FitCheck::kTaints, explain ? TaintMessage(pod_class, node.taints) : "");
  }
  // Resources first: the likeliest reason an existing node cannot take a pod.
  if (!FitsSum(node.requests, pod_class.requests, node.available)) {
    return fail(FitCheck::kResources, explain ? "exceeds node resources" : "");
  }
  if (auto conflict = HostPortConflict(pod_class.constraints.host_ports, node.ports)) {
    return fail(FitCheck::kHostPorts, std::move(*conflict));
  }
  if (!node.requirements.Compatible(pod_class.requirements)) {
    return fail(FitCheck::kRequirements,
                explain ? ExplainIncompatible(node.requirements, pod_class.requirements, {}, "node")
                        : "");
  }
  fit.requirements = node.requirements;
  fit.narrowed = true;
  fit.requirements.Add(pod_class.requirements);
  if (topology_->Constrains(pod_class)) {
    auto domains =
        topology_->AddRequirements(pod_class, node.taints, fit.requirements, {}, explain);
    if (!domains) {
      fit.permanent = domains.error().permanent;
      return fail(FitCheck::kTopology, std::move(domains.error().message));
    }
    fit.permanent = false;
    if (auto compatible = fit.requirements.Compatible(*domains); !compatible) {
      return fail(FitCheck::kTopology, std::move(compatible.error().message));
    }
    fit.requirements.Add(*domains);
    fit.domains = std::move(*domains);
  }
  return true;
}

std::optional<std::string> Solver::AddToExisting(ExistingState& node, const api::Pod* pod,
                                                 int class_id, bool* permanent) {
  Fit fit;
  bool fits = FitExisting(node, class_id, fit, /*explain=*/false);
  *permanent = fit.permanent;
  if (!fits) return std::move(fit.message);
  const PodClass& pod_class = classes_[class_id];
  AddInto(node.requests, pod_class.requests);
  node.requirements = std::move(fit.requirements);
  node.placed.push_back(pod);
  node.ports.insert(node.ports.end(), pod_class.constraints.host_ports.begin(),
                    pod_class.constraints.host_ports.end());
  topology_->Record(pod_class, node.taints, node.requirements, {});
  return std::nullopt;
}

}  // namespace karpenter::scheduling
