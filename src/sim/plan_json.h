// The `karpenter simulate -o json` document: a contract that outside checks read. Its keys and
// their meaning stay as issue 4 fixed them; additions only.
//
//   {"nodeClaims": [{"name", "nodePool", "round", "instanceType", "zone", "capacityType",
//                    "pricePerHour", "priceSource", "instanceTypeOptions": [...],
//                    "pods": ["ns/name", ...], "requests": {"cpu": "1", ...}}],
//    "existingNodes": [{"name", "pods": [...]}],
//    "unschedulable": [{"pod": "ns/name", "reason"}],
//    "costPerHour": <number>, "lowerBoundPerHour": <number>}
#pragma once

#include <string>

#include "api/json.h"
#include "api/model/pod.h"
#include "sim/simulation.h"

namespace karpenter::sim {

// "namespace/name".
std::string PodKey(const api::Pod& pod);

// The plan as the JSON contract above. priceSource is catalog::ToString(PriceSource) of the
// launched offering ("spot-model" says the spot price is modelled, not observed).
// Dollar amounts are rounded to 6 decimals (the bound downwards, so it never exceeds the cost);
// lowerBoundPerHour is 0 when the bound is not feasible.
api::Json PlanToJson(const Plan& plan);

}  // namespace karpenter::sim
