#include "scheduling/solver.h"

#include <algorithm>
#include <map>
#include <utility>

#include "api/model/pod_requests.h"
#include "scheduling/preferences.h"
#include "scheduling/well_known.h"

namespace karpenter::scheduling {

ClassCache::Entry* ClassCache::For(const PodConstraints& constraints, size_t hash, size_t nodes) {
  auto [begin, end] = entries_.equal_range(hash);
  for (auto it = begin; it != end; ++it) {
    if (it->second->constraints == constraints) return it->second.get();
  }
  const std::vector<uint64_t> clear((nodes + 63) / 64, 0);
  auto entry = std::make_unique<Entry>(Entry{constraints, clear, clear, std::nullopt});
  return entries_.emplace(hash, std::move(entry))->second.get();
}

Prepared::Prepared(const SchedulingInput& input, const std::vector<const api::Pod*>& intern_pods)
    : input(input) {
  for (const api::DaemonSet* daemon_set : input.daemon_sets) {
    daemons.push_back(PrepareDaemon(*daemon_set));
  }
  InternResources(intern_pods);
  PreparePools();
  PrepareExisting();
  std::vector<DomainSource> sources;
  for (const PoolState& pool : pools) {
    sources.push_back({&pool.requirements, pool.catalog_types, pool.taints});
  }
  topology = std::make_unique<TopologyBase>(input.existing_nodes, std::move(sources),
                                            input.namespace_labels);
}

Solver::Solver(const SchedulingInput& input)
    : own_prepared_(std::make_unique<Prepared>(input, input.pending)),
      prepared_(*own_prepared_),
      input_(input),
      pending_(input.pending),
      resources_(prepared_.resources),
      pools_(prepared_.pools),
      daemons_(prepared_.daemons) {
  Init({});
}

Solver::Solver(Prepared& prepared, std::vector<const api::Pod*> pending,
               std::vector<size_t> removed, std::vector<size_t> report_order)
    : prepared_(prepared),
      input_(prepared.input),
      pending_(std::move(pending)),
      resources_(prepared.resources),
      pools_(prepared.pools),
      daemons_(prepared.daemons) {
  if (!report_order.empty()) resources_.SetReportOrder(std::move(report_order));
  Init(std::move(removed));
}

void Solver::Init(std::vector<size_t> removed) {
  std::sort(removed.begin(), removed.end());
  removed_ = std::move(removed);
  for (const PoolState& pool : pools_) remaining_.push_back(pool.limit_left);
  const size_t count = prepared_.existing.size();
  existing_.reserve(count);
  for (const ExistingState& node : prepared_.existing) existing_.push_back({&node, nullptr});
  // Padding bits past the last slot count as excluded, so word scans never reach them.
  excluded_.assign((count + 63) / 64, 0);
  for (size_t slot = count; slot < excluded_.size() * 64; ++slot) {
    excluded_[slot >> 6] |= uint64_t{1} << (slot & 63);
  }
  for (size_t n : removed_) {
    const int32_t slot = prepared_.existing_index[n];
    if (slot >= 0) excluded_[slot >> 6] |= uint64_t{1} << (slot & 63);
  }
  owned_.assign(excluded_.size(), 0);
  topology_ = std::make_unique<Topology>(*prepared_.topology, removed_);
}

void Prepared::InternResources(const std::vector<const api::Pod*>& intern_pods) {
  for (std::string_view name : {core::kCPU, core::kMemory, core::kPods}) resources.Intern(name);
  for (const api::Pod* pod : intern_pods) resources.InternAll(api::EffectiveRequests(*pod));
  for (const DaemonPod& daemon : daemons) resources.InternAll(daemon.constraints.requests);
  for (const NodePoolOption& option : input.node_pools) {
    resources.InternAll(option.node_pool->spec.limits);
    if (option.catalog == nullptr) continue;
    for (const catalog::InstanceType& type : option.catalog->types()) {
      resources.InternAll(type.capacity());
      resources.InternAll(type.allocatable());
    }
  }
  resources.Intern("nodes");
}

void Prepared::PreparePools() {
  std::vector<const NodePoolOption*> options;
  for (const NodePoolOption& option : input.node_pools) options.push_back(&option);
  // As upstream, heavier NodePools first, equal weights by name.
  std::stable_sort(options.begin(), options.end(), [](const auto* a, const auto* b) {
    int32_t wa = a->node_pool->spec.weight.value_or(0), wb = b->node_pool->spec.weight.value_or(0);
    if (wa != wb) return wa > wb;
    return a->node_pool->metadata.name < b->node_pool->metadata.name;
  });
  const size_t nodes = resources.Find("nodes");
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
      if (taint.effect == core::TaintEffect::PreferNoSchedule) tolerate_prefer_no_schedule = true;
    }
    std::vector<PoolType> types;
    if (option->catalog != nullptr) {
      for (const catalog::InstanceType& type : option->catalog->types()) {
        pool.catalog_types.push_back(&type);
      }
      for (const catalog::InstanceType* type : option->catalog->Filter(pool.requirements)) {
        PoolType entry;
        entry.type = type;
        entry.allocatable = ToDense(type->allocatable(), resources);
        entry.capacity = ToDense(type->capacity(), resources);
        entry.capacity[nodes] = core::Quantity::FromInt(1).Nano();
        types.push_back(std::move(entry));
      }
    }
    pool.types = PoolTypes(std::move(types));
    for (TypeIndex i = 0; i < pool.types.size(); ++i) pool.all.push_back(i);
    PrepareDaemonGroups(pool);
    pool.limits = ToDense(np.spec.limits, resources);
    Dense in_use = ToDense(option->in_use, resources);
    pool.limit_left = Minus(pool.limits, in_use);
    for (const auto& [name, unused] : np.spec.limits) pool.limited.push_back(resources.Find(name));
    pools.push_back(std::move(pool));
  }
}

void Prepared::PrepareDaemonGroups(PoolState& pool) {
  std::map<std::vector<bool>, int> groups;
  std::vector<Dense>& overheads = pool.types.daemon_overheads();
  for (TypeIndex i = 0; i < pool.types.size(); ++i) {
    const catalog::InstanceType& type = *pool.types.at(i).type;
    std::vector<bool> runs(daemons.size(), false);
    for (size_t d = 0; d < daemons.size(); ++d) {
      for (const core::Requirements& alternative : daemons[d].alternatives) {
        core::Requirements node = pool.requirements;
        node.Add(type.RequirementsFor(alternative));
        if (DaemonRunsOn(daemons[d], pool.taints, node, WellKnownLabels())) {
          runs[d] = true;
          break;
        }
      }
    }
    auto [it, inserted] = groups.try_emplace(runs, static_cast<int>(overheads.size()));
    if (inserted) {
      core::ResourceList total;
      int count = 0;
      for (size_t d = 0; d < daemons.size(); ++d) {
        if (!runs[d]) continue;
        core::ResourceList requests = daemons[d].constraints.requests;
        requests.Erase(core::kPods);
        total.Add(requests);
        ++count;
      }
      total.Set(core::kPods, core::Quantity::FromInt(count));
      overheads.push_back(ToDense(total, resources));
      pool.overhead_lists.push_back(total);
    }
    pool.types.SetDaemonGroup(i, it->second);
  }
  if (overheads.empty()) {
    overheads.push_back(Dense(resources.size(), 0));
    pool.overhead_lists.push_back({});
  }
  // Host ports of the daemons that run on the NodePool's nodes whatever the instance type.
  for (const DaemonPod& daemon : daemons) {
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
  ClassCache::Entry* known = prepared_.classes.For(constraints, hash, prepared_.existing.size());
  known_.push_back(known);
  classes_.push_back(MakePodClass(id, std::move(constraints), resources_));
  classes_.back().running_selecting = &known->running_selecting;
  class_ids_.emplace(hash, id);
  topology_->AddClass(classes_.back());
  return id;
}

int Solver::RelaxedClass(int class_id) {
  if (classes_[class_id].relaxed != -2) return classes_[class_id].relaxed;
  PodConstraints relaxed = classes_[class_id].constraints;
  int next = -1;
  if (Relax(relaxed, prepared_.tolerate_prefer_no_schedule)) next = ClassFor(std::move(relaxed));
  classes_[class_id].relaxed = next;
  return next;
}

}  // namespace karpenter::scheduling
