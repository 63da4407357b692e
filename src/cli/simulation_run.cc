#include "cli/simulation_run.h"

#include <algorithm>
#include <ostream>
#include <utility>

#include "catalog/aws_catalog.h"
#include "cli/input_files.h"
#include "sim/objects.h"

namespace karpenter::cli {
namespace {

// Writes the diagnostics; returns how many are errors.
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

SimulationRun RunSimulation(const InputOptions& input, const std::string& region,
                            std::ostream& err) {
  SimulationRun run;
  api::ReadLimits limits;
  limits.max_bytes = input.max_input_mib << 20;
  InputSet read = ReadInputs(input.files, limits);
  std::size_t errors = Report(read.errors, err);
  sim::LoadedObjects loaded = sim::LoadObjects(read.documents);
  errors += Report(loaded.diagnostics, err);

  sim::SnapshotOptions options;
  options.region = region;
  const bool custom_catalog = !loaded.objects.instance_types.empty();
  auto snapshot = sim::BuildSnapshot(std::move(loaded.objects), options);
  if (!snapshot) {
    err << "error: " << snapshot.error().message << '\n';
    run.exit_code = !custom_catalog && !KnownRegion(region) ? 2 : 1;
    return run;
  }
  errors += Report(snapshot->diagnostics, err);
  if (errors > 0) {
    err << errors << " error(s) in the input; the plan covers the objects without errors\n";
  }
  run.exit_code = errors > 0 ? 1 : 0;
  run.snapshot = std::make_unique<sim::Snapshot>(std::move(*snapshot));
  run.plan = sim::Simulate(*run.snapshot);
  run.has_plan = true;
  return run;
}

}  // namespace karpenter::cli
