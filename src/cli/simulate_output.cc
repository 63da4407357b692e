#include "cli/simulate_output.h"

#include <fmt/format.h>

#include <array>
#include <ostream>
#include <string>
#include <vector>

#include "sim/plan_json.h"

namespace karpenter::cli {
namespace {

constexpr std::size_t kColumns = 10;
using Row = std::array<std::string, kColumns>;

double Units(const core::Quantity& quantity) {
  return static_cast<double>(quantity.Nano()) / static_cast<double>(core::Quantity::kNanoPerUnit);
}

// `resource` of `requests` as a share of `allocatable`, "-" when the type has none.
std::string Utilisation(const core::ResourceList& requests, const core::ResourceList& allocatable,
                        std::string_view resource) {
  const double available = Units(allocatable.Get(resource));
  if (available <= 0) return "-";
  return fmt::format("{:.0f}%", 100.0 * Units(requests.Get(resource)) / available);
}

std::string Price(const catalog::Offering& offering) {
  return fmt::format("{:.4f}{}", offering.price, catalog::IsModelled(offering.price_source) ? "*" : "");
}

Row ClaimRow(const sim::LaunchedNodeClaim& claim) {
  const core::ResourceList& allocatable = claim.instance_type->allocatable();
  return {claim.name,
          claim.node_pool,
          std::to_string(claim.round),
          claim.instance_type->name(),
          claim.offering->zone,
          std::string(catalog::ToString(claim.offering->capacity_type)),
          Price(*claim.offering),
          std::to_string(claim.pods.size()),
          Utilisation(claim.requests, allocatable, core::kCPU),
          Utilisation(claim.requests, allocatable, core::kMemory)};
}

void WriteTable(const std::vector<Row>& rows, std::ostream& out) {
  std::array<std::size_t, kColumns> widths{};
  for (const Row& row : rows) {
    for (std::size_t i = 0; i < kColumns; ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const Row& row : rows) {
    std::string line;
    for (std::size_t i = 0; i + 1 < kColumns; ++i) line += fmt::format("{:<{}}  ", row[i], widths[i]);
    line += row[kColumns - 1];
    out << line << '\n';
  }
}

std::string PodList(const std::vector<const api::Pod*>& pods) {
  std::string text;
  for (const api::Pod* pod : pods) text += (text.empty() ? "" : ", ") + sim::PodKey(*pod);
  return text;
}

void WriteCost(const sim::Plan& plan, std::ostream& out) {
  out << fmt::format("Cost: ${:.4f}/hour for {} NodeClaim(s)", plan.cost_per_hour,
                     plan.node_claims.size());
  if (!plan.lower_bound.feasible) {
    out << "; no lower bound (no allowed type covers the requests)\n";
    return;
  }
  const double bound = plan.lower_bound.cost_per_hour;
  out << fmt::format("; lower bound ${:.4f}/hour", bound);
  if (bound > 0) {
    out << fmt::format(" (the plan is {:.1f}% above it)", 100.0 * (plan.cost_per_hour - bound) / bound);
  }
  out << '\n';
}

}  // namespace

void WritePlanTable(const sim::Plan& plan, std::ostream& out) {
  bool modelled = false;
  if (plan.node_claims.empty()) {
    out << "No NodeClaims to launch.\n";
  } else {
    std::vector<Row> rows = {{"NODECLAIM", "NODEPOOL", "ROUND", "INSTANCE-TYPE", "ZONE",
                              "CAPACITY-TYPE", "$/HOUR", "PODS", "CPU", "MEMORY"}};
    for (const sim::LaunchedNodeClaim& claim : plan.node_claims) {
      rows.push_back(ClaimRow(claim));
      modelled = modelled || catalog::IsModelled(claim.offering->price_source);
    }
    WriteTable(rows, out);
  }
  if (!plan.existing_nodes.empty()) {
    out << "\nPods placed on existing capacity:\n";
    for (const sim::NodePlacement& placement : plan.existing_nodes) {
      out << "  " << placement.node_name << ": " << PodList(placement.pods) << '\n';
    }
  }
  if (!plan.unschedulable.empty()) {
    out << "\nUnschedulable pods:\n";
    for (const sim::UnschedulablePod& pod : plan.unschedulable) {
      out << fmt::format("  {} (round {}): {}\n", sim::PodKey(*pod.pod), pod.round, pod.reason);
    }
  }
  out << '\n';
  WriteCost(plan, out);
  if (modelled) {
    out << "* spot price modelled as a fraction of on-demand: no spot price data ships "
           "(priceSource \"spot-model\" in -o json)\n";
  }
}

}  // namespace karpenter::cli
