#include <ostream>

#include "cli/commands.h"
#include "cli/simulate_output.h"
#include "cli/simulation_run.h"
#include "sim/plan_json.h"

namespace karpenter::cli {

int RunSimulate(const SimulateOptions& options, std::ostream& out, std::ostream& err) {
  SimulationRun run = RunSimulation(options.input, options.region, err);
  if (!run.has_plan) return run.exit_code;
  if (options.output == "json") {
    out << sim::PlanToJson(run.plan).dump(2) << '\n';
  } else {
    WritePlanTable(run.plan, out);
  }
  return run.exit_code;
}

}  // namespace karpenter::cli
