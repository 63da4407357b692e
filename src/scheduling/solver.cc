#include "scheduling/solver.h"

#include <algorithm>
#include <map>
#include <utility>

#include "api/model/pod_requests.h"
#include "scheduling/preferences.h"
#include "scheduling/well_known.h"

namespace karpenter::scheduling {

Solver::Solver(const SchedulingInput& input) : input_(input) {
  for (const api::DaemonSet* daemon_set : input.daemon_sets) {
    daemons_.push_back(PrepareDaemon(*daemon_set));
  }
  InternResources();
  PreparePools();
  PrepareExisting();
  std::vector<DomainSource> sources;
  for (const PoolState& pool : pools_) {
    sources.push_back({&pool.requirements, pool.catalog_types, pool.taints});
  }
  topology_ = std::make_unique<Topology>(input.existing_nodes, std::move(sources),
                                         input.namespace_labels);
}

void Solver::InternResources() {
  for (std::string_view name : {core::kCPU, core::kMemory, core::kPods}) resources_.Intern(name);
  for (const api::Pod* pod : input_.pending) resources_.InternAll(api::EffectiveRequests(*pod));
  for (const DaemonPod& daemon : daemons_) resources_.InternAll(daemon.constraints.requests);
  for (const NodePoolOption& option : input_.node_pools) {
    resources_.InternAll(option.node_pool->spec.limits);
    if (option.catalog == nullptr) continue;
    for (const catalog::InstanceType& type : option.catalog->types()) {
      resources_.InternAll(type.capacity());
      resources_.InternAll(type.allocatable());
    }
  }
  resources_.Intern("nodes");
}

void Solver::PreparePools() {
  std::vector<const NodePoolOption*> options;
  for (const NodePoolOption& option : input_.node_pools) options.push_back(&option);
  // As upstream, heavier NodePools first, equal weights by name.
  std::stable_sort(options.begin(), options.end(), [](const auto* a, const auto* b) {
    int32_t wa = a->node_pool->spec.weight.value_or(0), wb = b->node_pool->spec.weight.value_or(0);
    if (wa != wb) return wa > wb;
    return a->node_pool->metadata.name < b->node_pool->metadata.name;
  });
  const size_t nodes = resources_.Find("nodes");
  for (const NodePoolOption* option : options) {
    const api::NodePool& np = *option->node_pool;
    PoolState pool;
    pool.pool = &np;
    pool.name = np.metadata.name;
    pool.weight = np.spec.weight.value_or(0);
    const api::NodeClaimTemplateSpec& spec = np.spec.template_.spec;
    for (const core::NodeSelectorRequirement& wire : spec.requirements) {
      core::NodeSelectorRequirement normalized = wire;
      normalized.key = NormalizeLabelKey(wire.key);
      if (auto requirement = core::Requirement::From(normalized)) pool.requirements.Add(*requirement);
    }
    core::Labels labels = np.spec.template_.metadata.labels;
    labels[std::string(kLabelNodePool)] = pool.name;
    for (const auto& [key, value] : labels) {
      pool.requirements.Add(core::Requirement::In(NormalizeLabelKey(key), {value}));
    }
    pool.taints = spec.taints;  // startup taints are removed by their owners: not simulated
    for (const core::Taint& taint : pool.taints) {
      if (taint.effect == core::TaintEffect::PreferNoSchedule) tolerate_prefer_no_schedule_ = true;
    }
    std::vector<PoolType> types;
    if (option->catalog != nullptr) {
      for (const catalog::InstanceType& type : option->catalog->types()) {
        pool.catalog_types.push_back(&type);
      }
      for (const catalog::InstanceType* type : option->catalog->Filter(pool.requirements)) {
        PoolType entry;
        entry.type = type;
        entry.allocatable = ToDense(type->allocatable(), resources_);
        entry.capacity = ToDense(type->capacity(), resources_);
        entry.capacity[nodes] = core::Quantity::FromInt(1).Nano();
        types.push_back(std::move(entry));
      }
    }
    pool.types = PoolTypes(std::move(types));
    for (TypeIndex i = 0; i < pool.types.size(); ++i) pool.all.push_back(i);
    PrepareDaemonGroups(pool);
    pool.limits = ToDense(np.spec.limits, resources_);
    Dense in_use = ToDense(option->in_use, resources_);
    pool.remaining = Minus(pool.limits, in_use);
    for (const auto& [name, unused] : np.spec.limits) pool.limited.push_back(resources_.Find(name));
    pools_.push_back(std::move(pool));
  }
}

void Solver::PrepareDaemonGroups(PoolState& pool) {
  std::map<std::vector<bool>, int> groups;
  std::vector<Dense>& overheads = pool.types.daemon_overheads();
  for (TypeIndex i = 0; i < pool.types.size(); ++i) {
    const catalog::InstanceType& type = *pool.types.at(i).type;
    std::vector<bool> runs(daemons_.size(), false);
    for (size_t d = 0; d < daemons_.size(); ++d) {
      for (const core::Requirements& alternative : daemons_[d].alternatives) {
        core::Requirements node = pool.requirements;
        node.Add(type.RequirementsFor(alternative));
        if (DaemonRunsOn(daemons_[d], pool.taints, node, WellKnownLabels())) {
          runs[d] = true;
          break;
        }
      }
    }
    auto [it, inserted] = groups.try_emplace(runs, static_cast<int>(overheads.size()));
    if (inserted) {
      core::ResourceList total;
      int count = 0;
      for (size_t d = 0; d < daemons_.size(); ++d) {
        if (!runs[d]) continue;
        core::ResourceList requests = daemons_[d].constraints.requests;
        requests.Erase(core::kPods);
        total.Add(requests);
        ++count;
      }
      total.Set(core::kPods, core::Quantity::FromInt(count));
      overheads.push_back(ToDense(total, resources_));
      pool.overhead_lists.push_back(total);
    }
    pool.types.SetDaemonGroup(i, it->second);
  }
  if (overheads.empty()) {
    overheads.push_back(Dense(resources_.size(), 0));
    pool.overhead_lists.push_back({});
  }
  // Host ports of the daemons that run on the NodePool's nodes whatever the instance type.
  for (const DaemonPod& daemon : daemons_) {
    if (DaemonRunsOn(daemon, pool.taints, pool.requirements, WellKnownLabels())) {
      pool.daemon_ports.insert(pool.daemon_ports.end(), daemon.constraints.host_ports.begin(),
                               daemon.constraints.host_ports.end());
    }
  }
}

int Solver::ClassFor(PodConstraints constraints) {
  size_t hash = HashOf(constraints);
  auto [begin, end] = class_ids_.equal_range(hash);
  for (auto it = begin; it != end; ++it) {
    if (classes_[it->second].constraints == constraints) return it->second;
  }
  int id = static_cast<int>(classes_.size());
  classes_.push_back(MakePodClass(id, std::move(constraints), resources_));
  class_ids_.emplace(hash, id);
  topology_->AddClass(classes_.back());
  return id;
}

int Solver::RelaxedClass(int class_id) {
  if (classes_[class_id].relaxed != -2) return classes_[class_id].relaxed;
  PodConstraints relaxed = classes_[class_id].constraints;
  int next = -1;
  if (Relax(relaxed, tolerate_prefer_no_schedule_)) next = ClassFor(std::move(relaxed));
  classes_[class_id].relaxed = next;
  return next;
}

}  // namespace karpenter::scheduling
