// Replay: runs a Scenario (sim/scenario.h) through the real controllers in virtual time and
// reports what happened (sim/replay_report.h).
//
// At each time something is scheduled (a step, a timeline sample, the end), in this order:
// the steps that change the world run in the order written, the cluster settles, the
// expectations of that time are checked, and the timeline is sampled. Between those times the
// driver jumps from one due reconcile or node event to the next.
#pragma once

#include "core/result.h"
#include "sim/controller_set.h"
#include "sim/invariants.h"
#include "sim/replay_report.h"
#include "sim/scenario.h"

namespace karpenter::sim {

struct ReplayOptions {
  // Check the invariants (sim/invariants.h) after every settled instant; violations are in
  // the report and fail it.
  bool check_invariants = false;
  InvariantOptions invariants;
  ControllerSetOptions controllers;
};

// Runs `scenario`. Fails only when it cannot start: no catalog can be built (an unknown
// region, bad InstanceType documents, an EC2NodeClass whose settings are unusable). A run that
// stops early (the cluster does not settle) is a report with `error` set.
Result<ReplayReport> RunScenario(const Scenario& scenario, const ReplayOptions& options = {});

}  // namespace karpenter::sim
