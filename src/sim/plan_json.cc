#include "sim/plan_json.h"

#include <cmath>
#include <vector>

namespace karpenter::sim {
namespace {

// Dollars are written to the micro-dollar, so sums print as 0.0918 rather than
// 0.09179999999999999. The bound is rounded down and costs to nearest, which keeps
// lowerBoundPerHour <= costPerHour in the document whenever it holds exactly.
constexpr double kMicro = 1e6;
double RoundDollars(double value) { return std::round(value * kMicro) / kMicro; }
// (The 1e-6 micro-dollar slack keeps 0.015 from printing as 0.014999 after floating-point noise.)
double FloorDollars(double value) { return std::floor(value * kMicro + 1e-6) / kMicro; }

api::Json PodList(const std::vector<const api::Pod*>& pods) {
  api::Json list = api::Json::array();
  for (const api::Pod* pod : pods) list.push_back(PodKey(*pod));
  return list;
}

api::Json NodeClaimJson(const LaunchedNodeClaim& claim) {
  api::Json options = api::Json::array();
  for (const catalog::InstanceType* type : claim.instance_type_options) options.push_back(type->name());
  api::Json requests = api::Json::object();
  for (const auto& [name, quantity] : claim.requests) requests[name] = quantity.ToString();
  api::Json json = api::Json::object();
  json["name"] = claim.name;
  json["nodePool"] = claim.node_pool;
  json["round"] = claim.round;
  json["instanceType"] = claim.instance_type->name();
  json["zone"] = claim.offering->zone;
  json["capacityType"] = std::string(catalog::ToString(claim.offering->capacity_type));
  json["pricePerHour"] = RoundDollars(claim.offering->price);
  json["priceSource"] = std::string(catalog::ToString(claim.offering->price_source));
  json["instanceTypeOptions"] = std::move(options);
  json["pods"] = PodList(claim.pods);
  json["requests"] = std::move(requests);
  return json;
}

}  // namespace

std::string PodKey(const api::Pod& pod) {
  return pod.metadata.namespace_ + "/" + pod.metadata.name;
}

api::Json PlanToJson(const Plan& plan) {
  api::Json claims = api::Json::array();
  for (const LaunchedNodeClaim& claim : plan.node_claims) claims.push_back(NodeClaimJson(claim));
  api::Json existing = api::Json::array();
  for (const NodePlacement& placement : plan.existing_nodes) {
    existing.push_back({{"name", placement.node_name}, {"pods", PodList(placement.pods)}});
  }
  api::Json unschedulable = api::Json::array();
  for (const UnschedulablePod& pod : plan.unschedulable) {
    unschedulable.push_back({{"pod", PodKey(*pod.pod)}, {"reason", pod.reason}});
  }
  api::Json json = api::Json::object();
  json["nodeClaims"] = std::move(claims);
  json["existingNodes"] = std::move(existing);
  json["unschedulable"] = std::move(unschedulable);
  json["costPerHour"] = RoundDollars(plan.cost_per_hour);
  json["lowerBoundPerHour"] =
      plan.lower_bound.feasible ? FloorDollars(plan.lower_bound.cost_per_hour) : 0.0;
  return json;
}

}  // namespace karpenter::sim
