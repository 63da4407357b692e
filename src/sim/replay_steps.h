// Carrying out a scenario's steps against a virtual cluster: applying and deleting objects,
// scaling workloads, injecting faults, and measuring what an expectation checks.
#pragma once

#include <string>
#include <vector>

#include "sim/driver.h"
#include "sim/objects.h"
#include "sim/replay_report.h"
#include "sim/scenario.h"

namespace karpenter::sim {

struct StepOutcome {
  std::vector<std::string> notes;   // what happened beyond the step itself
  std::vector<std::string> errors;  // what could not be done
  size_t interruptions = 0;         // interruption warnings sent
};

// Creates each object, or replaces the stored one's metadata and spec (its status stays), as
// kubectl apply would. Objects the cluster does not store (PersistentVolumeClaims,
// PersistentVolumes, StorageClasses) are reported as errors.
StepOutcome ApplyObjects(kube::ClusterPort& cluster, const Objects& objects);
// Carries out a step that changes the world (not an expectation).
StepOutcome ApplyStep(Driver& driver, const StepAction& action);
// The value of expectation check `name` in `sample` (a snapshot of the cluster now).
double Measure(const std::string& name, const TimelineSample& sample);

}  // namespace karpenter::sim
