// `karpenter disrupt`: what the next disruption pass would do to the cluster in the input.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <ostream>
#include <set>

#include "api/codec/field_reader.h"
#include "api/json.h"
#include "catalog/aws_catalog.h"
#include "cli/commands.h"
#include "cli/input_files.h"
#include "disruption/pass.h"
#include "sim/objects.h"
#include "sim/snapshot.h"

namespace karpenter::cli {
namespace {

std::optional<disruption::Time> ParseNow(const std::string& text) {
  api::Json object = {{"t", text}};
  api::FieldErrors errors;
  api::codec::FieldReader reader(&object, "", &errors);
  std::optional<int64_t> seconds = reader.Timestamp("t");
  if (!seconds || !errors.empty()) return std::nullopt;
  return disruption::FromEpochSeconds(*seconds);
}

// Rounded to a hundredth of a cent, so the JSON does not show float noise (and the table
// shows the same digits).
double Money(double value) { return std::round(value * 1e4) / 1e4; }

api::Json ToJson(const disruption::PassResult& pass) {
  api::Json commands = api::Json::array();
  for (const disruption::Command& command : pass.commands) {
    api::Json replacements = api::Json::array();
    for (const disruption::Replacement& r : command.replacements) {
      replacements.push_back({{"instanceType", r.instance_type},
                              {"instanceTypeOptions", r.instance_type_options},
                              {"capacityType", r.capacity_type},
                              {"pricePerHour", Money(r.price_per_hour)}});
    }
    api::Json json = {{"method", std::string(disruption::ToString(command.method))},
                      {"reason", command.reason},
                      {"candidates", command.candidates},
                      {"replacements", replacements}};
    if (command.savings_per_hour) json["savingsPerHour"] = Money(*command.savings_per_hour);
    commands.push_back(std::move(json));
  }
  api::Json blocked = api::Json::array();
  for (const disruption::BlockedNode& node : pass.blocked) {
    blocked.push_back({{"node", node.node}, {"reason", node.reason}});
  }
  return {{"commands", commands}, {"blocked", blocked}};
}

void WriteTable(const disruption::PassResult& pass, disruption::Time now, std::ostream& out) {
  out << "Disruption pass at " << disruption::FormatTime(now) << '\n';
  if (pass.commands.empty()) out << "No disruption this pass.\n";
  for (const disruption::Command& command : pass.commands) {
    out << fmt::format("{} ({}): {}", disruption::ToString(command.method), command.reason,
                       fmt::join(command.candidates, ", "));
    if (command.savings_per_hour) {
      out << fmt::format(", saving ${:.4f}/hour", Money(*command.savings_per_hour));
    }
    out << '\n';
    for (const disruption::Replacement& r : command.replacements) {
      out << fmt::format("  replace with {} {} (${:.4f}/hour; {} option(s))\n", r.capacity_type,
                         r.instance_type, Money(r.price_per_hour), r.instance_type_options.size());
    }
  }
  if (!pass.blocked.empty()) out << "Left alone:\n";
  for (const disruption::BlockedNode& node : pass.blocked) {
    out << fmt::format("  {}: {}\n", node.node, node.reason);
  }
}

// The pass lists the nodes it ruled out; a candidate that no method looked at because an
// earlier method already produced this pass's command is not among them. The contract of
// `disrupt` is that every node not in a command says why, so those get their reason here.
void ExplainUnlisted(const disruption::Snapshot& snapshot, disruption::PassResult& pass) {
  std::set<std::string> listed;
  const disruption::Command* graceful = nullptr;
  for (const disruption::Command& command : pass.commands) {
    listed.insert(command.candidates.begin(), command.candidates.end());
    if (command.method != disruption::Method::kExpiration) graceful = &command;
  }
  for (const disruption::BlockedNode& node : pass.blocked) listed.insert(node.node);
  const std::string reason =
      graceful == nullptr
          ? std::string("no disruption method chose it this pass")
          : fmt::format(
                "left for a later pass: {} already disrupts {} this pass (one command "
                "per pass)",
                disruption::ToString(graceful->method), fmt::join(graceful->candidates, ", "));
  std::vector<disruption::BlockedNode> blocked;
  auto next = pass.blocked.begin();
  for (const disruption::SnapshotNode& node : snapshot.nodes) {
    if (next != pass.blocked.end() && next->node == node.Name()) {
      blocked.push_back(std::move(*next++));
    } else if (!listed.contains(node.Name())) {
      blocked.push_back({node.Name(), reason});
    }
  }
  for (; next != pass.blocked.end(); ++next) blocked.push_back(std::move(*next));
  pass.blocked = std::move(blocked);
}

// The scheduler's view of the disruption snapshot, completed with what only the simulation's
// snapshot knows: the DaemonSets (their pods take room on every replacement node), namespace
// labels (for pod affinity), and each NodePool's own catalog (its EC2NodeClass's settings
// change allocatable); a NodePool the simulation found not ready cannot launch replacements.
disruption::SchedulingView MakeView(const disruption::Snapshot& snapshot,
                                    const sim::Snapshot& simulated) {
  disruption::SchedulingView view = disruption::BuildSchedulingView(snapshot);
  view.daemon_sets = simulated.daemon_sets;
  view.namespace_labels = simulated.namespace_labels;
  std::erase_if(view.node_pools, [&](scheduling::NodePoolOption& option) {
    auto ready =
        std::find_if(simulated.node_pools.begin(), simulated.node_pools.end(),
                     [&](const scheduling::NodePoolOption& s) {
                       return s.node_pool->metadata.name == option.node_pool->metadata.name;
                     });
    if (ready == simulated.node_pools.end()) return true;
    option.catalog = ready->catalog;
    return false;
  });
  return view;
}

disruption::ClusterObjects ToClusterObjects(sim::Objects& objects, const sim::Snapshot& simulated) {
  disruption::ClusterObjects cluster;
  cluster.nodes = disruption::ShareAll(std::move(objects.nodes));
  cluster.node_claims = disruption::ShareAll(std::move(objects.node_claims));
  cluster.pods = disruption::ShareAll(std::move(objects.pods));
  cluster.pdbs = std::move(objects.pod_disruption_budgets);
  cluster.node_pools = std::move(objects.node_pools);
  cluster.node_classes = std::move(objects.node_classes);
  // Prices and instance types of the candidates; every catalog of the simulation has the
  // same types and offerings, only allocatable differs with the EC2NodeClass.
  if (!simulated.catalogs.empty()) {
    cluster.catalog = std::make_shared<const catalog::Catalog>(simulated.catalogs.front());
  }
  return cluster;
}

std::size_t Report(const std::vector<api::Diagnostic>& diagnostics, std::ostream& err) {
  std::size_t errors = 0;
  for (const api::Diagnostic& d : diagnostics) {
    err << d.ToString() << '\n';
    if (d.severity == api::Severity::kError) ++errors;
  }
  return errors;
}

bool KnownRegion(const std::string& region) {
  const std::vector<std::string> regions = catalog::AwsRegions();
  return std::find(regions.begin(), regions.end(), region) != regions.end();
}

}  // namespace

int RunDisrupt(const DisruptOptions& options, std::ostream& out, std::ostream& err) {
  disruption::Time now =
      std::chrono::time_point_cast<disruption::Time::duration>(std::chrono::system_clock::now());
  if (!options.now.empty()) {
    std::optional<disruption::Time> parsed = ParseNow(options.now);
    if (!parsed) {
      err << "error: --now " << options.now
          << " is not an RFC 3339 time (e.g. 2024-05-28T19:30:00Z)\n";
      return 2;
    }
    now = *parsed;
  }
  api::ReadLimits limits;
  limits.max_bytes = options.input.max_input_mib << 20;
  InputSet read = ReadInputs(options.input.files, limits);
  std::size_t errors = Report(read.errors, err);
  sim::LoadedObjects loaded = sim::LoadObjects(read.documents);
  errors += Report(loaded.diagnostics, err);

  // The scheduler's catalogs as `karpenter simulate` builds them (custom InstanceTypes or the
  // region's AWS catalog with each NodeClass's settings).
  sim::SnapshotOptions sim_options;
  sim_options.region = options.region;
  const bool custom_catalog = !loaded.objects.instance_types.empty();
  auto simulated = sim::BuildSnapshot(loaded.objects, sim_options);
  if (!simulated) {
    err << "error: " << simulated.error().message << '\n';
    return !custom_catalog && !KnownRegion(options.region) ? 2 : 1;
  }
  errors += Report(simulated->diagnostics, err);
  if (errors > 0) {
    err << errors << " error(s) in the input; the pass covers the objects without errors\n";
  }
  disruption::Snapshot snapshot =
      disruption::BuildSnapshot(ToClusterObjects(loaded.objects, *simulated), now);
  disruption::PassOptions pass_options;
  pass_options.consolidation.spot_to_spot = options.spot_to_spot;
  disruption::PassResult pass =
      disruption::RunDisruptionPass(snapshot, MakeView(snapshot, *simulated), pass_options);
  ExplainUnlisted(snapshot, pass);
  if (options.output == "json") {
    out << ToJson(pass).dump(2) << '\n';
  } else {
    WriteTable(pass, now, out);
  }
  return errors > 0 ? 1 : 0;
}

}  // namespace karpenter::cli
