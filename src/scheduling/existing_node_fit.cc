// Placing pods on capacity that already exists (upstream ExistingNode): registered nodes and
// NodeClaims launched before this run. They cannot change size or labels, so resources are
// checked first and requirements must be met by the node's actual labels.
#include <algorithm>
#include <bit>

#include "api/model/pod_requests.h"
#include "scheduling/cluster_nodes.h"
#include "scheduling/explain.h"
#include "scheduling/solver.h"
#include "scheduling/well_known.h"

namespace karpenter::scheduling {
namespace {

bool OwnedByDaemonSet(const api::Pod& pod) {
  return std::any_of(pod.metadata.owner_references.begin(), pod.metadata.owner_references.end(),
                     [](const api::OwnerReference& owner) { return owner.kind == "DaemonSet"; });
}

// The requirement `requirements` has for `key`, or nullptr (no copy, unlike Get).
const core::Requirement* RequirementOf(const core::Requirements& requirements,
                                       std::string_view key) {
  for (const auto& [own, requirement] : requirements) {
    const int order = own.compare(key);
    if (order == 0) return &requirement;
    if (order > 0) break;
  }
  return nullptr;
}

// Failures worth remembering per pod: a spread over zones has a handful of node-side values.
constexpr size_t kMaxTopologyFailures = 16;

}  // namespace

const core::Requirement* KeyRequirements::Canonical(const core::Requirement* requirement) const {
  if (requirement == nullptr) return nullptr;
  for (const core::Requirement* shared : canonical) {
    if (shared == requirement || *shared == *requirement) return shared;
  }
  return requirement;
}

const KeyRequirements& Prepared::RequirementsOf(const std::string& key) {
  auto [it, inserted] = requirements_of_.try_emplace(key);
  KeyRequirements& entry = it->second;
  if (!inserted) return entry;
  const size_t words = (existing.size() + 63) / 64;
  entry.by_node.reserve(existing.size());
  entry.index_of.reserve(existing.size());
  // Hostnames differ from node to node: not worth sharing.
  const bool share = key != kLabelHostname;
  for (const ExistingState& node : existing) {
    const core::Requirement* own = RequirementOf(*node.requirements, key);
    const core::Requirement* shared = share ? entry.Canonical(own) : own;
    if (share && shared == own && own != nullptr &&
        entry.canonical.size() < KeyRequirements::kMaxCanonical) {
      entry.canonical.push_back(own);
    }
    entry.by_node.push_back(shared);
    int32_t index = KeyRequirements::kNone;
    if (shared != nullptr) {
      auto found = std::find(entry.canonical.begin(), entry.canonical.end(), shared);
      index = found == entry.canonical.end()
                  ? KeyRequirements::kUnique
                  : static_cast<int32_t>(found - entry.canonical.begin());
    }
    entry.index_of.push_back(index);
  }
  entry.members.assign(entry.canonical.size() + 1, std::vector<uint64_t>(words, 0));
  for (size_t slot = 0; slot < existing.size(); ++slot) {
    if (entry.index_of[slot] == KeyRequirements::kUnique) continue;
    std::vector<uint64_t>& bits = entry.index_of[slot] == KeyRequirements::kNone
                                      ? entry.members.back()
                                      : entry.members[entry.index_of[slot]];
    bits[slot >> 6] |= uint64_t{1} << (slot & 63);
  }
  return entry;
}

ExistingState Prepared::PrepareNode(size_t n) const {
  const ExistingNode& node = input.existing_nodes[n];
  ExistingState state;
  state.node = &node;
  state.input_index = n;
  state.hostname = *NodeDomain(node, std::string(kLabelHostname));
  state.requirements = node.requirements != nullptr
                           ? node.requirements
                           : std::make_shared<const core::Requirements>(NodeRequirements(node));
  state.taints = WithoutEphemeralTaints(node.taints);
  // Allocatable minus the sum of the bound pods' requests (exact integers: the same as
  // subtracting them one by one), without a vector per pod.
  Dense used(resources.size(), 0);
  Dense daemon_pods(resources.size(), 0);
  const size_t pods = resources.Find(core::kPods);
  const core::Int128 one = core::Quantity::FromInt(1).Nano();
  auto declares_ports = [](const api::Container& c) { return !c.ports.empty(); };
  for (const api::Pod* pod : node.pods) {
    const bool daemon = OwnedByDaemonSet(*pod);
    for (const auto& [name, quantity] : api::EffectiveRequests(*pod)) {
      const size_t r = resources.Find(name);
      if (r == ResourceIndex::npos || r == pods) continue;
      used[r] += quantity.Nano();
      if (daemon) daemon_pods[r] += quantity.Nano();
    }
    used[pods] += one;
    if (daemon) daemon_pods[pods] += one;
    const api::PodSpec& spec = pod->spec;
    if (std::any_of(spec.containers.begin(), spec.containers.end(), declares_ports) ||
        std::any_of(spec.init_containers.begin(), spec.init_containers.end(), declares_ports)) {
      std::vector<HostPort> ports = HostPortsOf(spec);
      state.ports.insert(state.ports.end(), ports.begin(), ports.end());
    }
  }
  state.available = Minus(ToDense(node.allocatable, resources), used);
  // DaemonSets that will still land on the node: their requests minus the daemon pods
  // already there, never below zero (as upstream).
  Dense daemon_requests(resources.size(), 0);
  if (!daemons.empty()) {
    const core::Requirements labels = core::Requirements::FromNodeSelector(node.labels);
    for (const DaemonPod& daemon : daemons) {
      if (DaemonRunsOn(daemon, state.taints, labels, {})) {
        AddInto(daemon_requests, ToDense(daemon.constraints.requests, resources));
      }
    }
  }
  state.requests = Minus(daemon_requests, daemon_pods);
  for (core::Int128& amount : state.requests) amount = std::max<core::Int128>(amount, 0);
  return state;
}

void Prepared::PrepareExisting() {
  existing_index.assign(input.existing_nodes.size(), -1);
  for (size_t n = 0; n < input.existing_nodes.size(); ++n) {
    if (!input.existing_nodes[n].marked_for_deletion) existing.push_back(PrepareNode(n));
  }
  // As upstream: initialized nodes first, then by name.
  std::stable_sort(existing.begin(), existing.end(),
                   [](const ExistingState& a, const ExistingState& b) {
                     if (a.node->initialized != b.node->initialized) return a.node->initialized;
                     return a.node->name < b.node->name;
                   });
  for (size_t i = 0; i < existing.size(); ++i) {
    existing_index[existing[i].input_index] = static_cast<int32_t>(i);
  }
}

std::vector<uint64_t>& Solver::DeadExisting(int class_id) {
  if (existing_dead_.size() <= static_cast<size_t>(class_id)) existing_dead_.resize(class_id + 1);
  std::vector<uint64_t>& dead = existing_dead_[class_id];
  if (dead.empty()) dead = excluded_;
  return dead;
}

bool Solver::StartTopologyMemo(int class_id, TopologyMemo& memo) {
  const PodClass& pod_class = classes_[class_id];
  if (!topology_->Constrains(pod_class)) return false;
  memo.keys = &topology_->Keys(pod_class);
  for (const std::string& key : *memo.keys) {
    if (key == kLabelHostname) memo.remember = false;  // every node differs there
    memo.prepared.push_back(&prepared_.RequirementsOf(key));
  }
  return true;
}

bool Solver::TryExisting(const api::Pod* pod, int class_id) {
  std::vector<uint64_t>& dead = DeadExisting(class_id);
  ClassCache::Entry& known = *known_[class_id];
  TopologyMemo memo;
  TopologyMemo* topology_memo = StartTopologyMemo(class_id, memo) ? &memo : nullptr;
  for (size_t word = 0; word < dead.size(); ++word) {
    // What is known of a node as prepared does not hold once the run placed pods there.
    uint64_t open = ~dead[word] & ~(known.never[word] & ~owned_[word]);
    for (; open != 0; open &= open - 1) {
      if (!memo.skip.empty()) {
        open &= ~(memo.skip[word] & ~owned_[word]);
        if (open == 0) break;
      }
      const size_t slot = word * 64 + static_cast<size_t>(std::countr_zero(open));
      const uint64_t bit = uint64_t{1} << (slot & 63);
      const bool as_prepared = (owned_[word] & bit) == 0;
      const ExistingState& node = NodeAt(slot);
      Fit fit;
      bool fits = false;
      if (as_prepared && (known.passes[word] & bit) != 0) {
        fits = FitExisting(node, class_id, fit, /*explain=*/false, topology_memo, slot,
                           /*node_checked=*/true);
      } else {
        fits = FitExisting(node, class_id, fit, /*explain=*/false, topology_memo, slot);
        const bool about_the_node =
            fit.failed == FitCheck::kTaints || fit.failed == FitCheck::kResources ||
            fit.failed == FitCheck::kHostPorts || fit.failed == FitCheck::kRequirements;
        if (as_prepared) (about_the_node ? known.never : known.passes)[word] |= bit;
      }
      if (fits) {
        CommitToExisting(slot, pod, class_id, fit);
        return true;
      }
      if (fit.permanent) dead[word] |= bit;
    }
  }
  return false;
}

bool Solver::FitExistingNode(const ExistingState& node, const PodClass& pod_class, Fit& fit,
                             bool explain) const {
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
  if (!node.requirements->Compatible(pod_class.requirements)) {
    return fail(
        FitCheck::kRequirements,
        explain ? ExplainIncompatible(*node.requirements, pod_class.requirements, {}, "node") : "");
  }
  return true;
}

bool Solver::FitExisting(const ExistingState& node, int class_id, Fit& fit, bool explain,
                         TopologyMemo* memo, size_t slot, bool node_checked) {
  const PodClass& pod_class = classes_[class_id];
  auto fail = [&fit](FitCheck check, std::string message) {
    fit.failed = check;
    fit.message = std::move(message);
    return false;
  };
  if (!node_checked && !FitExistingNode(node, pod_class, fit, explain)) return false;
  if (!explain && topology_->Constrains(pod_class)) {
    return FitExistingTopology(node, class_id, fit, memo, slot);
  }
  fit.requirements = *node.requirements;
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

void Solver::SkipAlike(TopologyMemo& memo, size_t slot) const {
  // The prepared nodes equal to this one on every key (a zone, typically) fail alike.
  std::vector<uint64_t> alike;
  for (const KeyRequirements* key : memo.prepared) {
    const int32_t index = key->index_of[slot];
    if (index == KeyRequirements::kUnique) return;
    const std::vector<uint64_t>& members = key->Members(index);
    if (alike.empty()) {
      alike = members;
    } else {
      for (size_t w = 0; w < alike.size(); ++w) alike[w] &= members[w];
    }
  }
  if (alike.empty()) return;
  if (memo.skip.empty()) memo.skip.assign(alike.size(), 0);
  for (size_t w = 0; w < alike.size(); ++w) memo.skip[w] |= alike[w];
}

bool Solver::FitExistingTopology(const ExistingState& node, int class_id, Fit& fit,
                                 TopologyMemo* memo, size_t slot) {
  const PodClass& pod_class = classes_[class_id];
  // Topology reads the node's (narrowed) requirements only on its groups' keys: check it on
  // just those, and copy the node's labels only for a pod that fits. Same outcome as checking
  // the full copy, without the copy for every node a spread pod is turned away from.
  const std::vector<std::string>& keys = topology_->Keys(pod_class);
  std::vector<const core::Requirement*> own;
  std::vector<const core::Requirement*>& node_side = memo != nullptr ? memo->node : own;
  node_side.clear();
  const bool as_prepared = memo != nullptr && existing_[slot].own == nullptr;
  const bool remember = memo != nullptr && memo->remember;
  for (size_t k = 0; k < keys.size(); ++k) {
    if (memo == nullptr) {
      node_side.push_back(RequirementOf(*node.requirements, keys[k]));
    } else if (as_prepared) {
      node_side.push_back(memo->prepared[k]->by_node[slot]);
    } else {
      node_side.push_back(memo->prepared[k]->Canonical(RequirementOf(*node.requirements, keys[k])));
    }
  }
  auto fail = [&](bool permanent) {
    fit.failed = FitCheck::kTopology;
    fit.permanent = permanent;
    if (remember && as_prepared) SkipAlike(*memo, slot);
    if (remember && memo->failures.size() < kMaxTopologyFailures) {
      memo->failures.push_back({node_side, permanent});
    }
    return false;
  };
  if (remember) {
    // Pointers are canonical (KeyRequirements): equal pointers, equal requirements. Unequal
    // ones may still be equal (a narrowed copy): those are simply checked again.
    for (const TopologyMemo::Failure& failure : memo->failures) {
      if (failure.node != node_side) continue;
      fit.failed = FitCheck::kTopology;
      fit.permanent = failure.permanent;
      return false;
    }
  }
  core::Requirements probe;
  for (size_t k = 0; k < keys.size(); ++k) {
    // In the order the full copy adds them: the node's, then the pod's narrowing it.
    if (node_side[k] != nullptr) probe.Add(*node_side[k]);
    if (pod_class.requirements.Has(keys[k])) probe.Add(pod_class.requirements.Get(keys[k]));
  }
  auto domains = topology_->AddRequirements(pod_class, node.taints, probe, {}, false);
  if (!domains) return fail(domains.error().permanent);
  if (!probe.Compatible(*domains)) return fail(false);
  fit.requirements = *node.requirements;
  fit.narrowed = true;
  fit.requirements.Add(pod_class.requirements);
  fit.requirements.Add(*domains);
  fit.domains = std::move(*domains);
  return true;
}

void Solver::CommitToExisting(size_t slot, const api::Pod* pod, int class_id, Fit& fit) {
  ExistingSlot& entry = existing_[slot];
  if (entry.own == nullptr) {
    entry.own = &own_existing_.emplace_back(*entry.prepared);
    owned_[slot >> 6] |= uint64_t{1} << (slot & 63);
  }
  ExistingState& node = *entry.own;
  const PodClass& pod_class = classes_[class_id];
  AddInto(node.requests, pod_class.requests);
  node.requirements = std::make_shared<const core::Requirements>(std::move(fit.requirements));
  node.placed.push_back(pod);
  node.ports.insert(node.ports.end(), pod_class.constraints.host_ports.begin(),
                    pod_class.constraints.host_ports.end());
  topology_->Record(pod_class, node.taints, *node.requirements, {});
}

}  // namespace karpenter::scheduling
