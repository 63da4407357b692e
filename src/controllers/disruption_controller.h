// DisruptionController: the singleton controller that takes nodes away, as upstream's
// disruption controller and its orchestration queue (sigs.k8s.io/karpenter
// pkg/controllers/disruption) do, driven by the pure decision library (disruption/pass.h).
//
// Every reconcile (key kKey):
//  1. Expiry: every NodeClaim past its expireAfter and not being deleted is deleted at once,
//     whatever the budgets (forceful; the termination controller still drains the node,
//     honouring PDBs until the NodeClaim's terminationGracePeriod), as upstream's expiration
//     controller does.
//  2. Stale taints: karpenter.sh/disrupted:NoSchedule is removed from Nodes no command holds
//     (controllers/disruption_state.h), as upstream un-taints nodes not in its queue.
//  3. A command in flight (recorded on its candidates' NodeClaims) is carried on: once every
//     replacement NodeClaim is Initialized the candidates' NodeClaims are deleted; it is given
//     up (candidates un-tainted, record removed; replacements are left, as upstream leaves
//     them) when a replacement is deleted (insufficient capacity, liveness) or not initialized
//     `replacement_timeout` after the start (upstream's queue times a command out after
//     10 minutes when it holds few commands).
//  4. A decided command waiting for validation is validated `validation_delay` after its
//     decision (upstream's consolidationTTL, 15 s, for emptiness and consolidation) on a fresh
//     view (controllers/disruption_validation.h), then started or dropped.
//  5. Otherwise, at most every `poll_interval` (upstream's 10 s pollingPeriod), a pass runs
//     over a fresh view (controllers/disruption_input.h) and its graceful command, if any, is
//     held for validation (emptiness, consolidation) or started at once (drift).
//     A pass that found nothing is not run again until something it reads changed (a watch
//     event on Pods, Nodes, NodeClaims, NodePools, EC2NodeClasses, PDBs or DaemonSets), a node
//     becomes consolidatable (its consolidateAfter elapses), or `quiet_timeout` passed: upstream's
//     "consolidated" cluster state, which also forces a new look every 5 minutes (so a budget
//     window that opens is noticed within that time, as upstream). While idle so (nothing in
//     flight or waiting) a reconcile lists nothing at all until the next expiry is due.
// Starting a command: candidates with replacements get the command record, then their Nodes
// the disrupted taint, then the replacement NodeClaims are created (one per replacement,
// options and capacity type as decided); a command without replacements taints and deletes its
// candidates at once. After a command finishes, the next pass runs at once (upstream requeues
// immediately after a disruption).
//
// One graceful command at a time: no pass runs while a command is in flight or waits for
// validation (upstream may run several non-overlapping ones). Nodes tainted or being deleted are
// never candidates (the snapshot counts them as deleting).
//
// Restart: the in-flight command is rebuilt from the cluster (its record and replacements) and
// resumed; a command waiting for validation is held in memory only and simply decided again by
// the next pass (nothing was written for it). So a restarted controller neither leaks the
// replacement nor launches it twice.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/unavailable_offerings.h"
#include "cloud/cloud_provider.h"
#include "controllers/controller.h"
#include "controllers/disruption_input.h"
#include "controllers/disruption_state.h"
#include "controllers/manager.h"
#include "core/clock.h"
#include "disruption/command.h"
#include "kube/cluster.h"
#include "scheduling/cluster_nodes.h"
#include "scheduling/scheduler.h"

namespace karpenter::controllers {

struct DisruptionControllerOptions {
  core::Duration poll_interval = std::chrono::seconds(10);
  core::Duration validation_delay = std::chrono::seconds(15);
  core::Duration replacement_timeout = std::chrono::minutes(10);
  core::Duration quiet_timeout = std::chrono::minutes(5);
  // Upstream's SpotToSpotConsolidation feature gate.
  bool spot_to_spot = false;
  // Offerings that recently failed to launch (e.g. SimulatedCloud::unavailable_offerings()),
  // kept out of replacements. nullptr: none. Must outlive the controller.
  const catalog::UnavailableOfferings* unavailable_offerings = nullptr;
};

enum class CommandOutcome {
  kExecuted,   // the candidates' NodeClaims were deleted
  kAbandoned,  // given up: no longer valid, a replacement failed, or timed out
};

// One command the controller carried out or gave up, for reports.
struct ExecutedCommand {
  std::string id;  // the record id; "" for commands that needed no record
  disruption::Method method = disruption::Method::kEmptiness;
  std::string reason;                   // "Empty", "Underutilized", "Drifted", "Expired"
  std::vector<std::string> candidates;  // node names (NodeClaim names when unregistered)
  std::vector<disruption::Replacement> replacements;  // as decided
  std::vector<std::string> replacement_node_claims;   // the NodeClaims created for them
  std::optional<double> savings_per_hour;
  core::Time decided_at;   // the pass that chose it (started_at for a command resumed
                           // after a restart: the cluster does not record it)
  core::Time started_at;   // taint and launch
  core::Time finished_at;  // candidates deleted, or given up
  CommandOutcome outcome = CommandOutcome::kExecuted;
  std::string abandoned_because;  // for kAbandoned

  // What `command` decided (method, reason, candidates, replacements, savings), decided at
  // `decided_at` and started and finished at `now` until told otherwise.
  static ExecutedCommand Of(const disruption::Command& command, core::Time decided_at,
                            core::Time now);
};

// A graceful command decided and waiting for its validation.
struct PendingCommand {
  disruption::Command command;
  core::Time decided_at;
  core::Time validate_at;
};

class DisruptionController final : public Controller {
 public:
  static constexpr std::string_view kName = "disruption";
  static constexpr std::string_view kKey = "disruption";

  // Prefer Register(). The ports, the clock and the manager must outlive the controller.
  DisruptionController(Manager& manager, kube::ClusterPort& cluster, cloud::CloudProvider& cloud,
                       const core::Clock& clock, DisruptionControllerOptions options = {});
  ~DisruptionController() override;
  DisruptionController(const DisruptionController&) = delete;
  DisruptionController& operator=(const DisruptionController&) = delete;

  // Adds the controller to `manager`, watches NodeClaims (a change to a command's candidate or
  // replacement brings the command forward at once) and queues the first reconcile now.
  // Returns it (owned by the manager), or nullptr when the manager already has one.
  static DisruptionController* Register(Manager& manager, kube::ClusterPort& cluster,
                                        cloud::CloudProvider& cloud, const core::Clock& clock,
                                        DisruptionControllerOptions options = {});

  std::string_view Name() const override { return kName; }
  ReconcileResult Reconcile(const std::string& key) override;

  // Commands carried out (candidates deleted), expirations included, in order.
  const std::vector<ExecutedCommand>& history() const { return history_; }
  // Commands given up, in order.
  const std::vector<ExecutedCommand>& abandoned() const { return abandoned_; }
  // The command waiting for validation, if any.
  const std::optional<PendingCommand>& pending() const { return pending_; }
  // Passes run so far, and passes skipped because nothing changed since one found nothing.
  size_t passes() const { return passes_; }
  size_t skipped_passes() const { return skipped_passes_; }

 private:
  ReconcileResult Decide(core::Time now);
  std::unique_ptr<DisruptionInput> ReuseOrBuildInput(core::Time now);
  std::pair<uint64_t, size_t> UnavailableSeq() const;
  ReconcileResult ValidateAndStart(core::Time now);
  ReconcileResult Start(const DisruptionInput& input, const disruption::Command& command,
                        core::Time decided_at,
                        std::optional<scheduling::SchedulingResult> simulation);
  ReconcileResult DeleteCandidates(const DisruptionInput& input, const disruption::Command& command,
                                   core::Time decided_at);
  ReconcileResult Orchestrate(const InFlightCommand& command, core::Time now);
  void Abandon(const InFlightCommand& command, std::string why, core::Time now);
  // Deletes the expired NodeClaims among `claims`; true when it deleted any.
  bool Expire(const std::vector<kube::ObjectPtr<api::NodeClaim>>& claims, core::Time now);
  // Records a command that was never started.
  void GiveUp(const disruption::Command& command, core::Time decided_at, std::string why);
  // What is known of an in-flight command: from memory when this controller started it, else
  // rebuilt from the cluster.
  ExecutedCommand Describe(const InFlightCommand& command) const;
  // Runs the next pass at once (after a command finished or was dropped).
  ReconcileResult PassNow(core::Time now);

  Manager& manager_;
  kube::ClusterPort& cluster_;
  cloud::CloudProvider& cloud_;
  const core::Clock& clock_;
  DisruptionControllerOptions options_;
  // Watch events seen on the kinds a pass reads; and, after a pass that found nothing, the
  // count then and until when the pass may be skipped while the count stays the same.
  uint64_t cluster_changes_ = 0;
  struct Quiet {
    uint64_t changes = 0;
    core::Time until;
  };
  std::optional<Quiet> quiet_;
  // The input of the last pass that found nothing, reused by the next pass when nothing it
  // was built from changed (upstream's 5-minute re-check of a quiet cluster): cluster changes,
  // the unavailable-offerings cache (its seq_num and size, and no entry expiring meanwhile).
  struct ReusableInput {
    std::unique_ptr<DisruptionInput> input;
    uint64_t changes = 0;
    std::pair<uint64_t, size_t> unavailable_seq;
    core::Time built_at;
  };
  std::optional<ReusableInput> reusable_input_;
  // The single-node simulations that failed on that input: a re-check on it simulates only
  // the candidates not tried then (disruption::SingleNodeMemo).
  disruption::SingleNodeMemo single_node_memo_;
  // Node requirements kept between the inputs it builds.
  scheduling::NodeRequirementsCache node_requirements_;
  // The earliest expiry of a NodeClaim not expired at the last reconcile.
  core::Time next_expiry_ = core::Time::min();
  std::optional<PendingCommand> pending_;
  core::Time next_pass_at_ = core::Time::min();
  std::map<std::string, ExecutedCommand, std::less<>> started_;
  std::vector<ExecutedCommand> history_;
  std::vector<ExecutedCommand> abandoned_;
  size_t passes_ = 0;
  size_t skipped_passes_ = 0;
};

// Adds the disruption controller to `manager` (DisruptionController::Register).
void RegisterDisruption(Manager& manager, kube::ClusterPort& cluster, cloud::CloudProvider& cloud,
                        const core::Clock& clock, DisruptionControllerOptions options = {});

}  // namespace karpenter::controllers
