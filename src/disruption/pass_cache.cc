#include "disruption/pass_cache.h"

#include "catalog/labels.h"
#include "disruption/disruption_cost.h"

namespace karpenter::disruption {
namespace {

scheduling::SchedulingInput ContextInput(const SchedulingView& view) {
  scheduling::SchedulingInput input;
  for (const scheduling::ExistingNode& node : view.existing_nodes) {
    if (!node.marked_for_deletion) input.existing_nodes.push_back(node);
  }
  input.node_pools = view.node_pools;
  input.daemon_sets = view.daemon_sets;
  input.namespace_labels = view.namespace_labels;
  return input;
}

void ComputeEconomics(const Snapshot& snapshot, PassCache& cache) {
  cache.economics_of = &snapshot;
  const size_t n = snapshot.nodes.size();
  cache.counted.assign(n, 0);
  cache.price.assign(n, 0);
  cache.cost.assign(n, 0);
  cache.pool_totals.clear();
  for (size_t i = 0; i < n; ++i) {
    const SnapshotNode& node = snapshot.nodes[i];
    if (!node.node_claim || !node.node) continue;
    cache.counted[i] = 1;
    Candidate probe;
    probe.node = &node;
    if (snapshot.catalog) {
      static const std::string kKey(catalog::kLabelInstanceType);
      auto type = node.Labels().find(kKey);
      probe.instance_type =
          snapshot.catalog->Find(type == node.Labels().end() ? std::string() : type->second);
    }
    cache.price[i] = CandidatePrice(probe).value_or(0);
    auto& [pool_price, pool_cost] = cache.pool_totals[node.node_pool];
    pool_price += cache.price[i];
    if (const api::NodePool* pool = snapshot.FindNodePool(node.node_pool)) {
      cache.cost[i] = NodeDisruptionCost(node, *pool, snapshot.now);
      pool_cost += cache.cost[i];
    }
  }
}

}  // namespace

PassCache::PassCache(const SchedulingView& view) : context(ContextInput(view)) {}

PassCache& SharedOf(const SchedulingView& view) {
  if (!view.shared) view.shared = std::make_shared<PassCache>(view);
  return *view.shared;
}

std::pair<double, double> PoolTotals(const Snapshot& snapshot, const SchedulingView& view,
                                     const std::set<std::string>& pools) {
  PassCache& cache = SharedOf(view);
  if (cache.economics_of != &snapshot) ComputeEconomics(snapshot, cache);
  if (pools.size() == 1) {
    auto it = cache.pool_totals.find(*pools.begin());
    return it == cache.pool_totals.end() ? std::pair<double, double>{0, 0} : it->second;
  }
  // Several NodePools: add up node by node, in snapshot order, as one sum.
  double price = 0, cost = 0;
  for (size_t i = 0; i < snapshot.nodes.size(); ++i) {
    if (cache.counted[i] == 0 || !pools.contains(snapshot.nodes[i].node_pool)) continue;
    price += cache.price[i];
    cost += cache.cost[i];
  }
  return {price, cost};
}

}  // namespace karpenter::disruption
