// InvariantChecker: what must hold in a virtual cluster whatever the controllers decide, checked
// after every settled instant of a test or replay (Driver::SetObserver). A violation names the
// invariant, the time and the objects, and is reported once when it starts.
//
// The invariants:
//  - "pod-lost": every ReplicaSet that is not being deleted has spec.replicas active pods
//    (pending or running, not terminating) that it controls. Checked once the workload
//    controller has stepped, i.e. at a settled instant.
//  - "instance-leak": every live cloud instance (pending or running) has its NodeClaim (the
//    NodeClaim named at launch, whose providerID is empty or the instance's). An instance may
//    be without one for `instance_grace` (upstream's garbage collection leaves new instances
//    alone for 30 s and runs every 2 min) before it counts as leaked.
//  - "pdb-violated": no healthy pod is evicted (Eviction API) while a PodDisruptionBudget
//    selecting it allows no disruption, counted from the cluster as it was just before the
//    eviction (the checker follows every pod change in write order). Pods that go for other
//    reasons (deleted, preempted, their node gone) do not count: budgets guard evictions only.
//  - "node-deleted-before-replacement": a disruption command that replaces its candidates
//    deletes them only once every replacement NodeClaim is Initialized. Checked on the
//    disruption controller's history (WatchDisruptions): each command carried out since the
//    last check must have its replacements there and initialized.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "cloud/simulated_cloud.h"
#include "controllers/disruption_controller.h"
#include "core/clock.h"
#include "kube/memory_cluster.h"

namespace karpenter::sim {

inline constexpr std::string_view kPodLost = "pod-lost";
inline constexpr std::string_view kInstanceLeak = "instance-leak";
inline constexpr std::string_view kPdbViolated = "pdb-violated";
inline constexpr std::string_view kNodeDeletedBeforeReplacement = "node-deleted-before-replacement";

struct InvariantViolation {
  core::Time at;
  std::string invariant;  // one of the names above
  std::string message;
  std::vector<std::string> objects;  // "ReplicaSet/default/web", "Instance/aws:///...", ...
};

struct InvariantOptions {
  core::Duration instance_grace = std::chrono::minutes(3);
};

class InvariantChecker {
 public:
  // Watches the cluster's pods from now on (for evictions); all three must outlive the
  // checker.
  InvariantChecker(kube::MemoryCluster& cluster, const cloud::SimulatedCloud& cloud,
                   const core::Clock& clock, InvariantOptions options = {});
  ~InvariantChecker();
  InvariantChecker(const InvariantChecker&) = delete;
  InvariantChecker& operator=(const InvariantChecker&) = delete;

  // Checks the cluster now. Returns the violations found by this call, evictions delivered
  // since the last call included (deliver the cluster's events first, as a settled instant
  // has); all of them stay in violations().
  std::vector<InvariantViolation> Check();
  const std::vector<InvariantViolation>& violations() const { return violations_; }

  // Checks the commands appended to `history` (DisruptionController::history()) from now on;
  // it must outlive the checker.
  void WatchDisruptions(const std::vector<controllers::ExecutedCommand>& history) {
    history_ = &history;
    commands_checked_ = history.size();
  }

 private:
  void OnPod(const kube::WatchEvent<api::Pod>& event);
  void CheckEviction(const api::Pod& before);
  void CheckReplicaSets(std::vector<InvariantViolation>& found);
  void CheckInstances(std::vector<InvariantViolation>& found);
  void CheckCommands(std::vector<InvariantViolation>& found);
  // Expected pods of `budget` among `selected` (as the disruption controller counts them).
  int32_t ExpectedPods(const api::PodDisruptionBudget& budget,
                       const std::vector<const api::Pod*>& selected) const;

  kube::MemoryCluster& cluster_;
  const cloud::SimulatedCloud& cloud_;
  const core::Clock& clock_;
  InvariantOptions options_;
  kube::WatchId watch_ = 0;
  // Every pod as of the last event delivered, by namespace and uid.
  std::map<std::string, std::map<std::string, kube::ObjectPtr<api::Pod>>> pods_;
  std::vector<InvariantViolation> pending_;   // found by the watch, returned by the next Check
  std::set<std::string> short_replica_sets_;  // uids in violation now (reported once)
  std::map<std::string, core::Time> orphaned_since_;  // provider id -> first seen orphaned
  std::set<std::string> leaked_;                      // provider ids reported
  const std::vector<controllers::ExecutedCommand>* history_ = nullptr;
  size_t commands_checked_ = 0;
  std::vector<InvariantViolation> violations_;
};

}  // namespace karpenter::sim
