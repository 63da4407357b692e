// SchedulingContext: one Prepared cluster, many runs.
#include <unordered_map>
#include <utility>

#include "api/model/pod_requests.h"
#include "scheduling/scheduler.h"
#include "scheduling/solver.h"

namespace karpenter::scheduling {

struct SchedulingContext::State {
  SchedulingInput base;
  std::unique_ptr<Prepared> prepared;  // refers to `base`
  std::unordered_map<std::string, std::vector<size_t>> by_name;
};

SchedulingContext::SchedulingContext(SchedulingInput base) : state_(std::make_unique<State>()) {
  state_->base = std::move(base);
  state_->base.pending.clear();
  state_->prepared = std::make_unique<Prepared>(state_->base, std::vector<const api::Pod*>{});
  for (size_t n = 0; n < state_->base.existing_nodes.size(); ++n) {
    state_->by_name[state_->base.existing_nodes[n].name].push_back(n);
  }
}

SchedulingContext::~SchedulingContext() = default;

const SchedulingInput& SchedulingContext::base() const { return state_->base; }

SchedulingResult SchedulingContext::Schedule(const std::vector<const api::Pod*>& pending,
                                             const std::vector<std::string_view>& removed) const {
  std::vector<size_t> indices;
  for (std::string_view name : removed) {
    auto it = state_->by_name.find(std::string(name));
    if (it == state_->by_name.end()) continue;
    indices.insert(indices.end(), it->second.begin(), it->second.end());
  }
  // A run of its own would intern cpu, memory and pods, then the pending pods' resources, then
  // the rest in the prepared order: the order its failures name resources in. A resource the
  // prepared index lacks cannot be shared; such a run prepares the cluster itself.
  const ResourceIndex& resources = state_->prepared->resources;
  std::vector<size_t> order;
  std::vector<uint8_t> seen(resources.size(), 0);
  auto add = [&](size_t r) {
    if (seen[r] == 0) order.push_back(r);
    seen[r] = 1;
  };
  for (size_t r = 0; r < 3; ++r) add(r);  // cpu, memory, pods: always interned first
  bool known = true;
  for (const api::Pod* pod : pending) {
    for (const auto& [name, quantity] : api::EffectiveRequests(*pod)) {
      const size_t r = resources.Find(name);
      if (r == ResourceIndex::npos) {
        known = false;
        break;
      }
      add(r);
    }
    if (!known) break;
  }
  if (!known) {
    const SchedulingInput& base = state_->base;
    std::vector<uint8_t> gone(base.existing_nodes.size(), 0);
    for (size_t n : indices) gone[n] = 1;
    SchedulingInput input;
    input.pending = pending;
    for (size_t n = 0; n < base.existing_nodes.size(); ++n) {
      if (gone[n] == 0) input.existing_nodes.push_back(base.existing_nodes[n]);
    }
    input.node_pools = base.node_pools;
    input.daemon_sets = base.daemon_sets;
    input.namespace_labels = base.namespace_labels;
    return scheduling::Schedule(input);
  }
  for (size_t r = 0; r < resources.size(); ++r) add(r);
  Solver solver(*state_->prepared, pending, std::move(indices), std::move(order));
  return solver.Run();
}

}  // namespace karpenter::scheduling
