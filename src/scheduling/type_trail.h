// The instance-type half of a pod's elimination trail (ExplainPod): which of a NodePool's
// instance types a new NodeClaim for the pod rules out, grouped by reason. Internal to the
// scheduling layer.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/requirements.h"
#include "scheduling/dense_resources.h"
#include "scheduling/explain.h"
#include "scheduling/instance_selection.h"

namespace karpenter::scheduling {

// Groups candidates by reason, with the first few names of each group as examples.
class Grouper {
 public:
  // `rank` orders groups of different checks (lower first).
  void Add(int rank, const std::string& reason, const std::string& name);
  // By rank, then the larger group first, then by reason.
  std::vector<EliminationGroup> Take();

 private:
  std::vector<std::pair<int, EliminationGroup>> groups_;
  std::map<std::string, size_t> index_;
};

// Adds to `out` the groups of `options` a claim with `requirements` and `requests` rules out,
// in the order PoolTypes::Filter checks (each type counted once, at its first failed check):
// requirements key by key, offerings, resources, then minValues over the types left; and
// sets `out.remaining` and `out.cheapest`.
void ExplainTypes(PoolTypes& types, const std::vector<TypeIndex>& options,
                  const core::Requirements& requirements, const Dense& requests,
                  const ResourceIndex& resources, NodePoolCheck& out);

}  // namespace karpenter::scheduling
