// `karpenter explain --pod ns/name`: what the simulation decided for one pod, and why.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "api/model/pod_requests.h"
#include "cli/commands.h"
#include "cli/simulation_run.h"
#include "scheduling/explain.h"
#include "sim/plan_json.h"
#include "sim/simulation.h"

namespace karpenter::cli {
namespace {

const api::Pod* FindPod(const sim::Snapshot& snapshot, const std::string& key) {
  for (const api::Pod& pod : snapshot.pods) {
    if (sim::PodKey(pod) == key) return &pod;
  }
  return nullptr;
}

bool Contains(const std::vector<const api::Pod*>& pods, const api::Pod* pod) {
  return std::find(pods.begin(), pods.end(), pod) != pods.end();
}

int RoundOf(const sim::Snapshot& snapshot, const api::Pod* pod) {
  for (const auto& [round, pods] : snapshot.rounds) {
    if (Contains(pods, pod)) return round;
  }
  return 0;
}

void WritePod(const api::Pod& pod, int round, std::ostream& out) {
  core::ResourceList requests = api::EffectiveRequests(pod);
  requests.Set(core::kPods, core::Quantity::FromInt(1));
  out << "Pod " << sim::PodKey(pod) << " (round " << round << ")\n";
  out << "  requests: " << requests.ToString() << '\n';
  if (!pod.spec.node_selector.empty()) {
    out << "  nodeSelector: " << core::Requirements::FromNodeSelector(pod.spec.node_selector).ToString()
        << '\n';
  }
  if (!pod.spec.tolerations.empty()) {
    out << "  tolerations: " << pod.spec.tolerations.size() << '\n';
  }
  if (!pod.spec.topology_spread_constraints.empty()) {
    out << "  topologySpreadConstraints: " << pod.spec.topology_spread_constraints.size() << '\n';
  }
}

// Where the plan put `pod`, written out; false when the pod is unschedulable.
bool WritePlacement(const sim::Plan& plan, const api::Pod* pod, std::ostream& out) {
  for (const sim::LaunchedNodeClaim& claim : plan.node_claims) {
    if (!Contains(claim.pods, pod)) continue;
    out << fmt::format(
        "\nPlaced on a new NodeClaim {} (NodePool \"{}\", round {}): {} in {}, {}, ${:.4f}/hour, "
        "with {} pod(s) in all.\n",
        claim.name, claim.node_pool, claim.round, claim.instance_type->name(),
        claim.offering->zone, catalog::ToString(claim.offering->capacity_type),
        claim.offering->price, claim.pods.size());
    std::string options;
    for (std::size_t i = 0; i < claim.instance_type_options.size() && i < 10; ++i) {
      options += (i ? ", " : "") + claim.instance_type_options[i]->name();
    }
    out << fmt::format("  {} instance-type option(s), cheapest first: {}{}\n",
                       claim.instance_type_options.size(), options,
                       claim.instance_type_options.size() > 10 ? ", ..." : "");
    return true;
  }
  for (const sim::NodePlacement& placement : plan.existing_nodes) {
    if (!Contains(placement.pods, pod)) continue;
    out << "\nPlaced on existing capacity: " << placement.node_name
        << " (existing nodes and earlier rounds' NodeClaims are tried before new ones).\n";
    return true;
  }
  return false;
}

void WriteUnschedulable(const sim::UnschedulablePod& failed, std::ostream& out) {
  out << "\nUnschedulable: " << failed.reason << '\n';
}

// The scheduler's full elimination trail for the pod in its round: every existing node,
// NodeClaim and NodePool it checked at its last attempt, and the instance types each NodePool
// ruled out, grouped by reason.
void WriteEliminationTrail(const sim::Snapshot& snapshot, const api::Pod& pod, int round,
                           std::ostream& out) {
  const std::optional<scheduling::SchedulingInput> input = sim::RoundInput(snapshot, round);
  if (!input) return;
  out << "\nElimination trail (the scheduler's last attempt to place it, in the order it "
         "checked):\n";
  for (const std::string& line : scheduling::FormatTrail(scheduling::ExplainPod(*input, pod))) {
    out << "  " << line << '\n';
  }
}

}  // namespace

int RunExplain(const ExplainOptions& options, std::ostream& out, std::ostream& err) {
  SimulationRun run = RunSimulation(options.input, options.region, err);
  if (!run.has_plan) return run.exit_code;
  const std::string key =
      options.pod.find('/') == std::string::npos ? "default/" + options.pod : options.pod;
  const api::Pod* pod = FindPod(*run.snapshot, key);
  if (pod == nullptr) {
    err << "error: pod " << key << " is not in the input (nor a replica of its workloads)\n";
    return 1;
  }
  const int round = RoundOf(*run.snapshot, pod);
  WritePod(*pod, round, out);
  if (round == 0) {
    out << "\nNot pending: "
        << (pod->spec.node_name.empty()
                ? "it is finished, being deleted, or a DaemonSet or static pod, which Karpenter "
                  "does not provision for.\n"
                : "it is bound to node " + pod->spec.node_name + ".\n");
    return run.exit_code;
  }
  if (!WritePlacement(run.plan, pod, out)) {
    for (const sim::UnschedulablePod& failed : run.plan.unschedulable) {
      if (failed.pod == pod) WriteUnschedulable(failed, out);
    }
  }
  WriteEliminationTrail(*run.snapshot, *pod, round, out);
  return run.exit_code;
}

}  // namespace karpenter::cli
