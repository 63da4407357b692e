// What `karpenter simulate` and `karpenter explain` share: read the manifests, validate them,
// build the snapshot and run the simulation, reporting problems as `karpenter validate` does.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "sim/simulation.h"
#include "sim/snapshot.h"

namespace karpenter::cli {

struct SimulationRun {
  // 0; 1 when the input had errors (the plan then covers the objects without errors); 2 when
  // no plan could be made (unknown region: a usage error); 1 too when no catalog could be built.
  int exit_code = 0;
  bool has_plan = false;
  // Owned through a pointer so `plan`'s pointers into it survive moving the run.
  std::unique_ptr<sim::Snapshot> snapshot;
  sim::Plan plan;
};

// Reads `input`, writes every diagnostic (read errors, validation, objects left out, snapshot
// warnings) to `err`, one per line, then simulates what is valid.
SimulationRun RunSimulation(const InputOptions& input, const std::string& region,
                            std::ostream& err);

}  // namespace karpenter::cli
