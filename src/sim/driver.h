// Driver: a whole virtual cluster in one object, run in virtual time. It owns the clock, the
// in-memory API server, the simulated cloud, the controller manager with Karpenter's
// controllers (sim/controller_set.h), and the stand-ins for kube-controller-manager
// (WorkloadController), kube-scheduler (Binder) and the kubelets (Kubelet).
//
// Time only moves between instants. At one instant the driver settles the cluster: it
// delivers watch events, runs the reconciles due, steps the stand-ins, and repeats until a
// round changes nothing (no write, no reconcile due now). Then it jumps the clock to the next
// time anything is due: a reconcile, a node registering or turning Ready, an instance booting
// or reclaimed, or a wake-up the caller asked for. Nothing sleeps, so a day runs in seconds.
//
// A round that keeps writing for ever (two controllers fighting) is cut off after
// kMaxRoundsPerInstant rounds at one instant and reported as an error, never a hang.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "cloud/simulated_cloud.h"
#include "controllers/manager.h"
#include "core/clock.h"
#include "core/result.h"
#include "kube/memory_cluster.h"
#include "kube/scoped_watch.h"
#include "sim/binder.h"
#include "sim/controller_set.h"
#include "sim/kubelet.h"
#include "sim/workload_controller.h"

namespace karpenter::sim {

struct DriverOptions {
  core::Time start;
  // The cloud's catalog, and per EC2NodeClass name the catalog of that NodeClass (its
  // settings change allocatable); see SimulatedCloud.
  std::shared_ptr<const catalog::Catalog> catalog;
  std::map<std::string, std::shared_ptr<const catalog::Catalog>, std::less<>> node_class_catalogs;
  ControllerSetOptions controllers;
  // Rounds at one instant before the driver gives up (see the file comment).
  size_t max_rounds_per_instant = 10'000;
};

class Driver {
 public:
  explicit Driver(DriverOptions options);
  ~Driver();
  Driver(const Driver&) = delete;
  Driver& operator=(const Driver&) = delete;

  core::ManualClock& clock() { return clock_; }
  kube::MemoryCluster& cluster() { return cluster_; }
  cloud::SimulatedCloud& cloud() { return cloud_; }
  controllers::Manager& manager() { return *manager_; }
  const ControllerSet& controllers() const { return controllers_; }
  const WorkloadController& workloads() const { return workload_; }

  // Settles the current instant (see the file comment). Fails when it does not settle within
  // max_rounds_per_instant rounds; the cluster is left as it is then.
  Result<void> Settle();
  // Settles every instant up to `until` (excluded) at which something is due, then moves the
  // clock to `until` without settling it (the caller may change the world first). `until` in
  // the past is a no-op.
  Result<void> AdvanceTo(core::Time until);
  // AdvanceTo(until), then Settle().
  Result<void> RunUntil(core::Time until);

  // The next time after now something is due, or nullopt when nothing is foreseen.
  std::optional<core::Time> NextEvent() const;
  // Makes AdvanceTo stop at `time` (e.g. when an injected interruption reclaims an instance,
  // which nothing in the cluster foresees).
  void WakeAt(core::Time time);
  // Sends a spot interruption warning for the instance (SimulatedCloud::Interrupt), wakes the
  // interruption controller now, and the driver when the instance is reclaimed.
  cloud::CloudResult<cloud::InterruptionWarning> Interrupt(const std::string& provider_id);

  // Called after each instant settles (the clock at that instant): where tests check
  // invariants and reports sample. Replaces an earlier observer.
  void SetObserver(std::function<void(core::Time)> observer) { observer_ = std::move(observer); }

  // Instants settled and rounds run so far.
  size_t instants() const { return instants_; }
  size_t rounds() const { return rounds_; }

 private:
  // One round; true when it changed something or left something due now.
  bool Round();
  // Whether the stand-ins (workload controller, binder, kubelet) may have something to do:
  // the cluster changed since they last stepped, or the instant is one they asked for.
  bool StandInsDue() const;
  // The next time after now the stand-ins have something to do (a node registering or
  // turning Ready, an instance booting, a wake-up), or nullopt. Asked at every instant, it
  // looks at every node, pod and instance only when the cluster, the cloud or the wake-ups
  // changed since the last answer, or that answer's time came.
  std::optional<core::Time> NextStandInEvent() const;
  std::optional<core::Time> ComputeNextStandInEvent(core::Time now) const;
  void ForgetPastWakeUps();

  // Watches that tell which stand-ins have work (see WatchForStandIns).
  void WatchForStandIns();

  DriverOptions options_;
  core::ManualClock clock_;
  kube::MemoryCluster cluster_;
  cloud::SimulatedCloud cloud_;
  std::unique_ptr<controllers::Manager> manager_;
  ControllerSet controllers_;
  WorkloadController workload_;
  Binder binder_;
  Kubelet kubelet_;
  std::vector<kube::ScopedWatch> watches_;  // after the cluster: they stop before it goes
  bool workload_due_ = true;
  bool binder_due_ = true;
  std::set<core::Time> wake_ups_;
  uint64_t wake_ups_revision_ = 0;  // grows with every change to wake_ups_
  struct StandInEventCache {
    int64_t cluster_revision = 0;
    uint64_t cloud_revision = 0;
    uint64_t wake_ups_revision = 0;
    std::optional<core::Time> next;
    bool SameInputs(const StandInEventCache& other) const {
      return cluster_revision == other.cluster_revision &&
             cloud_revision == other.cloud_revision &&
             wake_ups_revision == other.wake_ups_revision;
    }
  };
  mutable std::optional<StandInEventCache> stand_in_cache_;
  // The cluster's revision after the stand-ins last stepped, and whether the current instant
  // is one they must step at whatever the cluster (a kubelet event, a wake-up, the start).
  int64_t stand_ins_revision_ = -1;
  bool stand_ins_due_ = true;
  std::function<void(core::Time)> observer_;
  // When the cluster last settled, and its revision then: AdvanceTo settles the current
  // instant first when the caller changed something since.
  std::optional<core::Time> settled_at_;
  int64_t settled_revision_ = 0;
  size_t instants_ = 0;
  size_t rounds_ = 0;
};

}  // namespace karpenter::sim
