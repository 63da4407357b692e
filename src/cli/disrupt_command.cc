// `karpenter disrupt`: what the next disruption pass would do to the cluster in the input.
#include <chrono>
#include <cmath>
#include <memory>
#include <ostream>
#include <set>

#include <fmt/format.h>

#include "api/codec/field_reader.h"
#include "api/json.h"
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

// Rounded to a hundredth of a cent, so the JSON does not show float noise.
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

void WriteTable(const disruption::PassResult& pass, std::ostream& out) {
  if (pass.commands.empty()) out << "No disruption this pass.\n";
  for (const disruption::Command& command : pass.commands) {
    out << fmt::format("{} ({}): {}", disruption::ToString(command.method), command.reason,
                       fmt::join(command.candidates, ", "));
    if (command.savings_per_hour) out << fmt::format(", saving ${:.4f}/hour", *command.savings_per_hour);
    out << '\n';
    for (const disruption::Replacement& r : command.replacements) {
      out << fmt::format("  replace with {} {} (${:.4f}/hour; {} option(s))\n", r.capacity_type,
                         r.instance_type, r.price_per_hour, r.instance_type_options.size());
    }
  }
  if (!pass.blocked.empty()) out << "Left alone:\n";
  for (const disruption::BlockedNode& node : pass.blocked) {
    out << fmt::format("  {}: {}\n", node.node, node.reason);
  }
}

std::size_t Report(const std::vector<api::Diagnostic>& diagnostics, std::ostream& err) {
  std::size_t errors = 0;
  for (const api::Diagnostic& d : diagnostics) {
    err << d.ToString() << '\n';
    if (d.severity == api::Severity::kError) ++errors;
  }
  return errors;
}

}  // namespace

int RunDisrupt(const DisruptOptions& options, std::ostream& out, std::ostream& err) {
  disruption::Time now = std::chrono::time_point_cast<disruption::Time::duration>(
      std::chrono::system_clock::now());
  if (!options.now.empty()) {
    std::optional<disruption::Time> parsed = ParseNow(options.now);
    if (!parsed) {
      err << "error: --now " << options.now << " is not an RFC 3339 time\n";
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

  // The scheduler's catalog as `karpenter simulate` builds it (custom InstanceTypes or the
  // region's AWS catalog with the NodeClass's settings).
  sim::SnapshotOptions sim_options;
  sim_options.region = options.region;
  auto sim_snapshot = sim::BuildSnapshot(loaded.objects, sim_options);
  if (!sim_snapshot) {
    err << "error: " << sim_snapshot.error().message << '\n';
    return 1;
  }
  disruption::ClusterObjects objects;
  objects.nodes = std::move(loaded.objects.nodes);
  objects.node_claims = std::move(loaded.objects.node_claims);
  objects.pods = std::move(loaded.objects.pods);
  objects.pdbs = std::move(loaded.objects.pod_disruption_budgets);
  objects.node_pools = std::move(loaded.objects.node_pools);
  objects.node_classes = std::move(loaded.objects.node_classes);
  if (!sim_snapshot->catalogs.empty()) {
    objects.catalog = std::make_shared<const catalog::Catalog>(sim_snapshot->catalogs.front());
  }
  disruption::Snapshot snapshot = disruption::BuildSnapshot(std::move(objects), now);
  disruption::PassOptions pass_options;
  pass_options.consolidation.spot_to_spot = options.spot_to_spot;
  disruption::PassResult pass = disruption::RunDisruptionPass(snapshot, pass_options);
  if (options.output == "json") {
    out << ToJson(pass).dump(2) << '\n';
  } else {
    WriteTable(pass, out);
  }
  return errors > 0 ? 1 : 0;
}

}  // namespace karpenter::cli
