// DisruptionController: watches, the reconcile's order of steps, expiry, passes and validation.
// Starting and carrying out commands is in disruption_orchestration.cc.
#include "controllers/disruption_controller.h"

#include <algorithm>
#include <utility>

#include "controllers/disruption_validation.h"
#include "controllers/lifecycle_keys.h"
#include "disruption/emptiness.h"
#include "disruption/expiration.h"
#include "disruption/pass.h"

namespace karpenter::controllers {
namespace {

using disruption::Method;

bool NeedsValidation(Method method) {
  return method == Method::kEmptiness || method == Method::kMultiNodeConsolidation ||
         method == Method::kSingleNodeConsolidation;
}

bool TouchesCommand(const api::NodeClaim& claim) {
  const auto& annotations = claim.metadata.annotations;
  return annotations.contains(std::string(kDisruptionCommandAnnotation)) ||
         annotations.contains(std::string(kDisruptionReplacementForAnnotation));
}

// Until when a pass that found nothing at `now` would find nothing again if nothing changes:
// the next time a node becomes consolidatable, at most `timeout` away.
core::Time QuietUntil(const disruption::Snapshot& snapshot, core::Time now,
                      core::Duration timeout) {
  core::Time until = now + timeout;
  for (const disruption::SnapshotNode& node : snapshot.nodes) {
    const api::NodePool* pool = snapshot.FindNodePool(node.node_pool);
    if (pool == nullptr) continue;
    const std::optional<core::Time> at = disruption::ConsolidatableAt(node, *pool);
    if (at && *at > now && *at < until) until = *at;
  }
  return until;
}

}  // namespace

ExecutedCommand ExecutedCommand::Of(const disruption::Command& command, core::Time decided_at,
                                    core::Time now) {
  ExecutedCommand record;
  record.method = command.method;
  record.reason = command.reason;
  record.candidates = command.candidates;
  record.replacements = command.replacements;
  record.savings_per_hour = command.savings_per_hour;
  record.decided_at = decided_at;
  record.started_at = record.finished_at = now;
  return record;
}

DisruptionController::DisruptionController(Manager& manager, kube::ClusterPort& cluster,
                                           cloud::CloudProvider& cloud, const core::Clock& clock,
                                           DisruptionControllerOptions options)
    : manager_(manager), cluster_(cluster), cloud_(cloud), clock_(clock), options_(options) {}

DisruptionController::~DisruptionController() = default;

DisruptionController* DisruptionController::Register(Manager& manager, kube::ClusterPort& cluster,
                                                     cloud::CloudProvider& cloud,
                                                     const core::Clock& clock,
                                                     DisruptionControllerOptions options) {
  auto owned = std::make_unique<DisruptionController>(manager, cluster, cloud, clock, options);
  DisruptionController* controller = owned.get();
  if (manager.Add(std::move(owned)) == nullptr) return nullptr;
  controller->Hold(kube::ScopedWatch(
      cluster.NodeClaims(), [&manager, controller](const kube::WatchEvent<api::NodeClaim>& event) {
        ++controller->cluster_changes_;
        if (TouchesCommand(*event.object)) manager.Enqueue(kName, std::string(kKey));
      }));
  // Everything else a pass reads only marks the cluster changed.
  auto changed = [controller](const auto& /*event*/) { ++controller->cluster_changes_; };
  controller->Hold(kube::ScopedWatch(cluster.Pods(), changed));
  controller->Hold(kube::ScopedWatch(cluster.Nodes(), changed));
  controller->Hold(kube::ScopedWatch(cluster.NodePools(), changed));
  controller->Hold(kube::ScopedWatch(cluster.NodeClasses(), changed));
  controller->Hold(kube::ScopedWatch(cluster.PodDisruptionBudgets(), changed));
  controller->Hold(kube::ScopedWatch(cluster.DaemonSets(), changed));
  manager.Enqueue(kName, std::string(kKey));
  return controller;
}

void RegisterDisruption(Manager& manager, kube::ClusterPort& cluster, cloud::CloudProvider& cloud,
                        const core::Clock& clock, DisruptionControllerOptions options) {
  DisruptionController::Register(manager, cluster, cloud, clock, options);
}

ReconcileResult DisruptionController::Reconcile(const std::string& /*key*/) {
  const core::Time now = clock_.Now();
  // Idle (no command in flight or waiting, the last pass found nothing) and nothing watched
  // changed since: only time can bring work, and not before the next expiry or pass.
  if (quiet_ && !pending_ && quiet_->changes == cluster_changes_ &&
      now < std::min(quiet_->until, next_expiry_)) {
    ++skipped_passes_;
    return ReconcileResult::After(options_.poll_interval);
  }
  std::vector<kube::ObjectPtr<api::NodeClaim>> claims = cluster_.NodeClaims().List();
  if (Expire(claims, now)) claims = cluster_.NodeClaims().List();
  RemoveStaleDisruptedTaints(cluster_, cluster_.Nodes().List(), claims);

  const std::vector<InFlightCommand> in_flight = FindInFlightCommands(claims);
  if (!in_flight.empty()) {
    quiet_.reset();
    // A command survived a restart while another was being validated: the one in the
    // cluster wins, the one in memory is decided again later.
    pending_.reset();
    std::optional<core::Duration> next;
    for (const InFlightCommand& command : in_flight) {
      const ReconcileResult result = Orchestrate(command, now);
      if (result.requeue_after && (!next || *result.requeue_after < *next)) {
        next = result.requeue_after;
      }
    }
    return ReconcileResult::After(next.value_or(options_.poll_interval));
  }
  if (pending_) {
    if (now < pending_->validate_at) return ReconcileResult::After(pending_->validate_at - now);
    return ValidateAndStart(now);
  }
  if (now < next_pass_at_) return ReconcileResult::After(next_pass_at_ - now);
  return Decide(now);
}

bool DisruptionController::Expire(const std::vector<kube::ObjectPtr<api::NodeClaim>>& claims,
                                  core::Time now) {
  std::vector<std::pair<core::Time, const api::NodeClaim*>> expired;
  next_expiry_ = core::Time::max();
  for (const auto& claim : claims) {
    if (claim->metadata.deletion_timestamp) continue;
    std::optional<core::Time> at = disruption::ExpirationTime(*claim);
    if (!at) continue;
    if (now >= *at) {
      expired.emplace_back(*at, claim.get());
    } else {
      next_expiry_ = std::min(next_expiry_, *at);
    }
  }
  if (expired.empty()) return false;
  std::ranges::sort(expired, [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return a.second->metadata.name < b.second->metadata.name;
  });
  ExecutedCommand record;
  record.method = Method::kExpiration;
  record.reason = "Expired";
  record.decided_at = record.started_at = record.finished_at = now;
  for (const auto& [at, claim] : expired) {
    if (DeleteNodeClaim(cluster_, claim->metadata.name)) {
      record.candidates.push_back(NodeNameOf(*claim));
    }
  }
  if (!record.candidates.empty()) history_.push_back(std::move(record));
  return true;
}

ReconcileResult DisruptionController::Decide(core::Time now) {
  next_pass_at_ = now + options_.poll_interval;
  if (quiet_ && quiet_->changes == cluster_changes_ && now < quiet_->until) {
    ++skipped_passes_;
    return ReconcileResult::After(options_.poll_interval);
  }
  quiet_.reset();
  ++passes_;
  std::unique_ptr<DisruptionInput> input = ReuseOrBuildInput(now);
  disruption::PassOptions pass_options;
  pass_options.consolidation.spot_to_spot = options_.spot_to_spot;
  pass_options.consolidation.single_node_memo = &single_node_memo_;
  disruption::PassResult pass =
      disruption::RunDisruptionPass(input->snapshot, input->view, pass_options);
  // Expiry was handled from the NodeClaims already; only the graceful command is left.
  auto graceful = std::ranges::find_if(pass.commands, [](const disruption::Command& command) {
    return command.method != Method::kExpiration;
  });
  if (graceful == pass.commands.end()) {
    quiet_ = Quiet{cluster_changes_, QuietUntil(input->snapshot, now, options_.quiet_timeout)};
    // Kept for the re-check at quiet_->until: if nothing changed by then, only `now` differs.
    reusable_input_ = ReusableInput{std::move(input), cluster_changes_, UnavailableSeq(), now};
    return ReconcileResult::After(options_.poll_interval);
  }
  if (NeedsValidation(graceful->method)) {
    pending_ = PendingCommand{*graceful, now, now + options_.validation_delay};
    return ReconcileResult::After(options_.validation_delay);
  }
  return Start(*input, *graceful, now, std::nullopt);
}

std::pair<uint64_t, size_t> DisruptionController::UnavailableSeq() const {
  const catalog::UnavailableOfferings* unavailable = options_.unavailable_offerings;
  if (unavailable == nullptr) return {0, 0};
  return {unavailable->seq_num(), unavailable->size()};
}

std::unique_ptr<DisruptionInput> DisruptionController::ReuseOrBuildInput(core::Time now) {
  std::optional<ReusableInput> kept = std::exchange(reusable_input_, std::nullopt);
  const catalog::UnavailableOfferings* unavailable = options_.unavailable_offerings;
  const bool same =
      kept && kept->changes == cluster_changes_ && kept->unavailable_seq == UnavailableSeq() &&
      (unavailable == nullptr || !unavailable->AnyExpiresBetween(kept->built_at, now));
  if (same) {
    // Nothing it was built from changed: the snapshot's time is all that moves.
    kept->input->snapshot.now = now;
    return std::move(kept->input);
  }
  single_node_memo_ = {};  // its simulations ran on another input
  return BuildDisruptionInput(cluster_, cloud_, unavailable, now, &node_requirements_);
}

ReconcileResult DisruptionController::ValidateAndStart(core::Time now) {
  const PendingCommand pending = *std::move(pending_);
  pending_.reset();
  const std::unique_ptr<const DisruptionInput> input = BuildDisruptionInput(
      cluster_, cloud_, options_.unavailable_offerings, now, &node_requirements_);
  CommandValidation validation = ValidateCommand(*input, pending.command);
  if (validation.invalid_because) {
    GiveUp(pending.command, pending.decided_at, *std::move(validation.invalid_because));
    // As upstream, a command that no longer holds lets the next decision be made at once.
    return PassNow(now);
  }
  return Start(*input, validation.command, pending.decided_at, std::move(validation.simulation));
}

void DisruptionController::GiveUp(const disruption::Command& command, core::Time decided_at,
                                  std::string why) {
  ExecutedCommand record = ExecutedCommand::Of(command, decided_at, clock_.Now());
  record.outcome = CommandOutcome::kAbandoned;
  record.abandoned_because = std::move(why);
  abandoned_.push_back(std::move(record));
}

ReconcileResult DisruptionController::PassNow(core::Time now) {
  next_pass_at_ = now;
  return ReconcileResult::After(core::Duration::zero());
}

}  // namespace karpenter::controllers
