#include "sim/driver.h"

#include <fmt/format.h>

#include <utility>
#include <vector>

#include "disruption/pod_rules.h"

namespace karpenter::sim {
namespace {

std::string Offset(core::Time time, core::Time start) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(time - start).count();
  return fmt::format("{}s after the start", seconds);
}

}  // namespace

Driver::Driver(DriverOptions options)
    : options_(std::move(options)),
      clock_(options_.start),
      cluster_(clock_),
      cloud_(clock_, options_.catalog, options_.node_class_catalogs),
      manager_(std::make_unique<controllers::Manager>(clock_)),
      controllers_(
          RegisterAllControllers(*manager_, cluster_, cloud_, clock_, options_.controllers)),
      workload_(cluster_),
      binder_(cluster_, clock_),
      kubelet_(cluster_, cloud_, clock_) {
  WatchForStandIns();
}

void Driver::WatchForStandIns() {
  // Pods: a pod added or gone, or one that stops counting (being deleted, terminal), changes
  // both what the workload controller counts and the room the binder sees; a pending pod's
  // change is the binder's. A bound pod's status updates (the kubelet starting it) are
  // neither's: most pod events of a long replay are those.
  watches_.emplace_back(cluster_.Pods(), [this](const kube::WatchEvent<api::Pod>& event) {
    const api::Pod& pod = *event.object;
    if (event.type != kube::EventType::kModified || !disruption::IsActive(pod)) {
      workload_due_ = binder_due_ = true;
    } else if (pod.spec.node_name.empty()) {
      binder_due_ = true;
    }
  });
  auto binder = [this](const auto& /*event*/) { binder_due_ = true; };
  watches_.emplace_back(cluster_.Nodes(), binder);
  watches_.emplace_back(cluster_.PodDisruptionBudgets(), binder);
  watches_.emplace_back(cluster_.PriorityClasses(), binder);
  watches_.emplace_back(cluster_.Namespaces(), binder);
  auto workload = [this](const auto& /*event*/) { workload_due_ = true; };
  watches_.emplace_back(cluster_.Deployments(), workload);
  watches_.emplace_back(cluster_.ReplicaSets(), workload);
}

Driver::~Driver() = default;

bool Driver::Round() {
  const int64_t revision = cluster_.LastResourceVersion();
  cluster_.Deliver();
  manager_->RunDue();
  // Quiet instants (a controller's poll that changed nothing) skip the stand-ins, whose steps
  // list every pod: most instants of a long replay are such polls.
  if (StandInsDue()) {
    // Each stand-in steps only when an event since its last step can give it work; pods the
    // workload controller creates or deletes are the binder's at once, as before.
    if (std::exchange(workload_due_, false) && workload_.Step() > 0) binder_due_ = true;
    if (std::exchange(binder_due_, false)) binder_.Step();
    kubelet_.Step();
    cluster_.Deliver();
    stand_ins_revision_ = cluster_.LastResourceVersion();
    stand_ins_due_ = false;
  }
  cloud_.Tick();
  // Settled when nothing was written and nothing is due now. A reconcile that ran and wrote
  // nothing (a poll that found nothing to do) does not need another round.
  const std::optional<core::Time> due = manager_->NextDue();
  return revision != cluster_.LastResourceVersion() || cluster_.PendingEvents() > 0 ||
         (due && *due <= clock_.Now());
}

bool Driver::StandInsDue() const {
  return stand_ins_due_ || stand_ins_revision_ != cluster_.LastResourceVersion();
}

Result<void> Driver::Settle() {
  const std::map<std::string, size_t, std::less<>> before = manager_->reconcile_counts();
  for (size_t round = 0; round < options_.max_rounds_per_instant; ++round) {
    ++rounds_;
    if (Round()) continue;
    ++instants_;
    settled_at_ = clock_.Now();
    settled_revision_ = cluster_.LastResourceVersion();
    if (observer_) observer_(clock_.Now());
    return {};
  }
  // Name the controllers that kept running, so the loop can be found.
  std::vector<std::string> busy;
  for (const auto& [name, count] : manager_->reconcile_counts()) {
    auto it = before.find(name);
    const size_t ran = count - (it == before.end() ? 0 : it->second);
    if (ran > 0) busy.push_back(fmt::format("{} {}", name, ran));
  }
  return Fail(fmt::format(
      "the cluster did not settle {}: still changing after {} rounds (reconciles: {}; last "
      "resourceVersion {})",
      Offset(clock_.Now(), options_.start), options_.max_rounds_per_instant,
      busy.empty() ? std::string("none") : fmt::format("{}", fmt::join(busy, ", ")),
      cluster_.LastResourceVersion()));
}

std::optional<core::Time> Driver::NextStandInEvent() const {
  const core::Time now = clock_.Now();
  const StandInEventCache key{cluster_.LastResourceVersion(), cloud_.revision(), wake_ups_revision_,
                              std::nullopt};
  // Nothing changed since the last answer and its time has not come: it still holds.
  if (stand_in_cache_ && stand_in_cache_->SameInputs(key) &&
      (!stand_in_cache_->next || now < *stand_in_cache_->next)) {
    return stand_in_cache_->next;
  }
  stand_in_cache_ = key;
  stand_in_cache_->next = ComputeNextStandInEvent(now);
  return stand_in_cache_->next;
}

std::optional<core::Time> Driver::ComputeNextStandInEvent(core::Time now) const {
  std::optional<core::Time> next;
  auto consider = [&](std::optional<core::Time> time) {
    if (time && *time > now && (!next || *time < *next)) next = time;
  };
  consider(kubelet_.NextEvent());
  if (auto wake = wake_ups_.upper_bound(now); wake != wake_ups_.end()) consider(*wake);
  cloud_.ForEachInstance([&](const cloud::Instance& instance) {
    if (instance.state == cloud::InstanceState::kPending) {
      consider(instance.launch_time + cloud::SimulatedCloud::kBootTime);
    }
  });
  return next;
}

std::optional<core::Time> Driver::NextEvent() const {
  std::optional<core::Time> next = NextStandInEvent();
  const std::optional<core::Time> due = manager_->NextDue();
  if (due && *due > clock_.Now() && (!next || *due < *next)) next = due;
  return next;
}

cloud::CloudResult<cloud::InterruptionWarning> Driver::Interrupt(const std::string& provider_id) {
  auto warning = cloud_.Interrupt(provider_id);
  if (!warning) return warning;
  WakeAt(warning->terminate_at);
  manager_->Enqueue(controllers::InterruptionController::kName,
                    std::string(controllers::InterruptionController::kKey));
  return warning;
}

void Driver::WakeAt(core::Time time) {
  if (time > clock_.Now() && wake_ups_.insert(time).second) ++wake_ups_revision_;
}

void Driver::ForgetPastWakeUps() {
  auto past = wake_ups_.upper_bound(clock_.Now());
  if (past == wake_ups_.begin()) return;
  wake_ups_.erase(wake_ups_.begin(), past);
  ++wake_ups_revision_;
}

Result<void> Driver::AdvanceTo(core::Time until) {
  // Changes made since the last settle (by the caller) are settled at their own instant.
  if (settled_at_ != clock_.Now() || settled_revision_ != cluster_.LastResourceVersion() ||
      cluster_.PendingEvents() > 0) {
    if (auto settled = Settle(); !settled) return settled;
  }
  while (true) {
    const std::optional<core::Time> next = NextEvent();
    if (!next || *next >= until) break;
    stand_ins_due_ = NextStandInEvent() == next;  // cached: computed by NextEvent()
    clock_.AdvanceTo(*next);
    ForgetPastWakeUps();
    if (auto settled = Settle(); !settled) return settled;
  }
  // The caller settles `until` itself; the stand-ins step there whatever happened.
  stand_ins_due_ = true;
  clock_.AdvanceTo(until);
  ForgetPastWakeUps();
  return {};
}

Result<void> Driver::RunUntil(core::Time until) {
  if (auto advanced = AdvanceTo(until); !advanced) return advanced;
  return Settle();
}

}  // namespace karpenter::sim
