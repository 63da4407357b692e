// ReplayRecorder: fills a ReplayReport while a Driver runs. It follows the cluster through
// watches (NodeClaims through their lifecycle, Nodes, pods created, started, evicted and
// deleted), samples the cluster for the timeline when told to, and computes the summary at
// the end. It reads the cluster and the cloud and never writes.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/driver.h"
#include "sim/replay_report.h"
#include "sim/scenario.h"

namespace karpenter::sim {

class ReplayRecorder {
 public:
  // Watches `driver`'s cluster from now on; `driver` and `report` must outlive the recorder.
  ReplayRecorder(Driver& driver, ReplayReport& report);
  ~ReplayRecorder();
  ReplayRecorder(const ReplayRecorder&) = delete;
  ReplayRecorder& operator=(const ReplayRecorder&) = delete;

  // An event at the clock's now.
  void Note(std::string kind, std::string message);
  // Writes what the instant did that is told once per instant: the pod events gathered (one
  // line per kind of change and controller, e.g. "5 pods of ReplicaSet default/web running")
  // and the disruption commands finished or given up. Call after each settle.
  void OnSettled();
  // The cluster now, as a timeline sample.
  TimelineSample Snapshot() const;
  // Adds a timeline sample of the cluster now (replacing one already taken at this instant).
  void Sample();
  // The value `check` compares, with `now` the cluster now (Snapshot()): the sample's counts,
  // or what the recorder followed so far (disruptions, expirations, pending-time percentiles).
  double Measure(const Check& check, const TimelineSample& now) const;
  // Fills the summary from what was seen until now.
  void Finish();

 private:
  struct ClaimState {
    bool launched = false;
    bool registered = false;
    bool initialized = false;
    bool deleting = false;
    std::string launch_error;
  };
  struct PodTally {
    std::string verb;
    std::string owner;  // "ReplicaSet default/web", or "" for pods without a controller
    size_t count = 0;
  };

  void OnPod(const kube::WatchEvent<api::Pod>& event);
  void OnNode(const kube::WatchEvent<api::Node>& event);
  void OnClaim(const kube::WatchEvent<api::NodeClaim>& event);
  void ClaimChanged(const api::NodeClaim& claim, ClaimState& state);
  void Tally(std::string verb, const api::Pod& pod);
  void FlushPodEvents();
  void NoteDisruptions();
  core::Duration Now() const;

  // Not const: the cluster's and cloud's read accessors are reached through the driver.
  Driver& driver_;
  ReplayReport& report_;
  kube::WatchId pod_watch_ = 0, node_watch_ = 0, claim_watch_ = 0;

  std::map<std::string, ClaimState> claims_;
  size_t claims_created_ = 0;
  std::vector<PodTally> tallies_;
  struct Waiting {
    core::Time since;        // creation
    std::string deployment;  // "namespace/name" of the Deployment behind it, or ""
  };
  // "namespace/name" of the Deployment controlling `pod`'s ReplicaSet, or "".
  std::string DeploymentOf(const api::Pod& pod) const;

  // Pods not yet Running by uid. Pods that ran: their wait, in seconds, all and by Deployment.
  std::map<std::string, Waiting> waiting_;
  std::vector<double> waits_;
  std::map<std::string, std::vector<double>> waits_by_deployment_;
  std::set<std::string> disrupted_;  // uids with DisruptionTarget seen
  size_t evictions_ = 0, preemptions_ = 0;
  size_t commands_noted_ = 0, abandoned_noted_ = 0;
  size_t create_failures_noted_ = 0;
  // Nodes: name -> when it appeared; hours of nodes already gone.
  std::map<std::string, core::Time> nodes_;
  double node_hours_gone_ = 0;
};

}  // namespace karpenter::sim
