// ReplayReport: what `karpenter replay` found. A timeline sampled in virtual time, the events
// in the order they happened, the outcome of every expectation, invariant violations, and a
// summary (cost, node-hours, pod pending time, evictions, interruptions, disruptions).
//
// Three renderings: a table for people (WriteReportTable), JSON for programs (ReportToJson, a
// contract documented in docs/scenarios.md) and a self-contained HTML page with SVG charts
// (ReportToHtml; nothing is fetched when it is viewed).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "api/json.h"
#include "core/clock.h"
#include "sim/invariants.h"

namespace karpenter::sim {

// The cluster at one sampled instant.
struct TimelineSample {
  core::Duration at{};  // after the start
  int nodes = 0;
  int ready_nodes = 0;
  std::map<std::string, int> nodes_by_instance_type;  // node.kubernetes.io/instance-type
  std::map<std::string, int> nodes_by_capacity_type;  // karpenter.sh/capacity-type
  int node_claims = 0;
  int instances = 0;         // cloud instances pending or running
  int pods = 0;              // active pods (neither terminating nor terminal)
  int pending_pods = 0;      // active pods not bound to a node
  int running_pods = 0;      // active pods in phase Running
  double cost_per_hour = 0;  // USD/hour of the live instances
  double cost_so_far = 0;    // USD since the start
  size_t evictions = 0;      // so far
};

// One thing that happened. Kinds: step, fault, expect, nodeclaim, node, pods, disruption,
// invariant, error.
struct ReplayEvent {
  core::Duration at{};
  std::string kind;
  std::string message;
};

struct ExpectationOutcome {
  core::Duration at{};
  std::string source;  // "file:line" of the step
  std::string check;   // "nodes = 1"
  double actual = 0;
  bool passed = false;
};

// How long pods waited, from creation to Running (nearest-rank percentiles).
struct PendingStats {
  size_t started = 0;        // pods that reached Running
  size_t still_pending = 0;  // pods pending at the end
  std::optional<double> p50_seconds, p99_seconds, max_seconds;

  // From the waits (seconds, any order) of the pods that started.
  static PendingStats Of(std::vector<double> waits, size_t still_pending);
};

struct ReplaySummary {
  double total_cost = 0;      // USD
  double node_hours = 0;      // hours Node objects existed, summed
  size_t nodes_launched = 0;  // NodeClaims created
  size_t instances_launched = 0;
  PendingStats pending;
  // The same, for the pods of each Deployment ("namespace/name"; a pod belongs to the
  // Deployment that controls its ReplicaSet), for every Deployment that created pods.
  std::map<std::string, PendingStats> pods_by_deployment;
  size_t evictions = 0;
  size_t preemptions = 0;
  size_t interruptions = 0;
  // Disruption commands carried out, by "method/reason" ("emptiness/Empty"), and those given
  // up.
  std::map<std::string, size_t> disruptions;
  size_t disruptions_abandoned = 0;
  size_t expectations_passed = 0;
  size_t expectations_failed = 0;
  size_t invariant_violations = 0;
  size_t errors = 0;  // steps that could not be carried out, and a run cut short
};

struct ReplayReport {
  std::string scenario;  // metadata.name
  std::string file;
  core::Time start;
  core::Duration duration{};
  core::Duration sample_every{};
  bool invariants_checked = false;
  std::vector<TimelineSample> timeline;
  std::vector<ReplayEvent> events;
  std::vector<ExpectationOutcome> expectations;
  std::vector<InvariantViolation> violations;
  ReplaySummary summary;
  // Set when the run stopped early (the cluster did not settle).
  std::optional<std::string> error;

  // No failed expectation, no violation, no error.
  bool Passed() const {
    return summary.expectations_failed == 0 && violations.empty() && summary.errors == 0 && !error;
  }
};

// "1m05s" style offsets: "0s", "45s", "1m05s", "2h00m10s".
std::string FormatOffset(core::Duration offset);

// The JSON contract (docs/scenarios.md).
api::Json ReportToJson(const ReplayReport& report);
// The events, then the timeline (one line per sample where something changed), then the
// summary.
void WriteReportTable(const ReplayReport& report, std::ostream& out);
// A self-contained HTML page: the summary, charts of nodes by capacity type, $/hour and
// pending pods over time, and the events.
std::string ReportToHtml(const ReplayReport& report);

}  // namespace karpenter::sim
