#include "sim/replay_recorder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "api/model/condition.h"
#include "catalog/labels.h"
#include "disruption/command.h"
#include "disruption/pod_rules.h"
#include "sim/replay_steps.h"

namespace karpenter::sim {
namespace {

core::Time FromSeconds(int64_t seconds) { return core::Time(std::chrono::seconds(seconds)); }

double Hours(core::Duration duration) {
  return std::chrono::duration<double, std::ratio<3600>>(duration).count();
}

bool ConditionTrue(const std::vector<api::Condition>& conditions, std::string_view type) {
  const api::Condition* condition = api::FindCondition(conditions, type);
  return condition != nullptr && condition->IsTrue();
}

const api::PodCondition* FindPodCondition(const api::Pod& pod, std::string_view type) {
  for (const api::PodCondition& condition : pod.status.conditions) {
    if (condition.type == type) return &condition;
  }
  return nullptr;
}

std::string Label(const core::Labels& labels, std::string_view key) {
  auto it = labels.find(std::string(key));
  return it == labels.end() ? "" : it->second;
}

std::string OwnerOf(const api::Pod& pod) {
  for (const api::OwnerReference& owner : pod.metadata.owner_references) {
    if (owner.controller) return owner.kind + " " + pod.metadata.namespace_ + "/" + owner.name;
  }
  return "";
}

std::string DescribeCommand(const controllers::ExecutedCommand& command) {
  std::string text = fmt::format("{} ({}): {}", disruption::ToString(command.method),
                                 command.reason, fmt::join(command.candidates, ", "));
  if (!command.replacement_node_claims.empty()) {
    text += fmt::format(", replaced by {}", fmt::join(command.replacement_node_claims, ", "));
  }
  if (command.savings_per_hour) {
    text += fmt::format(", saving ${:.4f}/hour", *command.savings_per_hour);
  }
  return text;
}

}  // namespace

ReplayRecorder::ReplayRecorder(Driver& driver, ReplayReport& report)
    : driver_(driver), report_(report) {
  kube::MemoryCluster& cluster = driver_.cluster();
  pod_watch_ = cluster.Pods().Watch([this](const auto& event) { OnPod(event); });
  node_watch_ = cluster.Nodes().Watch([this](const auto& event) { OnNode(event); });
  claim_watch_ = cluster.NodeClaims().Watch([this](const auto& event) { OnClaim(event); });
}

ReplayRecorder::~ReplayRecorder() {
  kube::MemoryCluster& cluster = driver_.cluster();
  cluster.Pods().Unwatch(pod_watch_);
  cluster.Nodes().Unwatch(node_watch_);
  cluster.NodeClaims().Unwatch(claim_watch_);
}

core::Duration ReplayRecorder::Now() const { return driver_.clock().Now() - report_.start; }

void ReplayRecorder::Note(std::string kind, std::string message) {
  report_.events.push_back({Now(), std::move(kind), std::move(message)});
}

void ReplayRecorder::Tally(std::string verb, const api::Pod& pod) {
  std::string owner = OwnerOf(pod);
  for (PodTally& tally : tallies_) {
    if (tally.verb == verb && tally.owner == owner) {
      ++tally.count;
      return;
    }
  }
  tallies_.push_back({std::move(verb), std::move(owner), 1});
}

void ReplayRecorder::OnSettled() {
  FlushPodEvents();
  NoteDisruptions();
  const auto& failures = driver_.workloads().failures();
  for (; create_failures_noted_ < failures.size(); ++create_failures_noted_) {
    const WorkloadController::CreateFailure& failure = failures[create_failures_noted_];
    Note("pods", failure.replica_set + " cannot create pods: " + failure.message);
  }
}

void ReplayRecorder::NoteDisruptions() {
  const controllers::DisruptionController* controller = driver_.controllers().disruption;
  if (controller == nullptr) return;
  for (; commands_noted_ < controller->history().size(); ++commands_noted_) {
    Note("disruption", DescribeCommand(controller->history()[commands_noted_]));
  }
  for (; abandoned_noted_ < controller->abandoned().size(); ++abandoned_noted_) {
    const controllers::ExecutedCommand& command = controller->abandoned()[abandoned_noted_];
    Note("disruption", "given up: " + DescribeCommand(command) + ": " + command.abandoned_because);
  }
}

void ReplayRecorder::FlushPodEvents() {
  for (const PodTally& tally : tallies_) {
    std::string message = fmt::format("{} pod{}", tally.count, tally.count == 1 ? "" : "s");
    if (!tally.owner.empty()) message += " of " + tally.owner;
    Note("pods", message + " " + tally.verb);
  }
  tallies_.clear();
}

void ReplayRecorder::OnPod(const kube::WatchEvent<api::Pod>& event) {
  const api::Pod& pod = *event.object;
  const std::string& uid = pod.metadata.uid;
  const core::Time now = driver_.clock().Now();
  if (event.type == kube::EventType::kAdded) {
    // A pod created running (an initial object) never waited.
    if (pod.status.phase != "Running") {
      const core::Time since =
          pod.metadata.creation_timestamp ? FromSeconds(*pod.metadata.creation_timestamp) : now;
      std::string deployment = DeploymentOf(pod);
      // Listed from its first pod, so a Deployment whose pods all wait shows 0 started.
      if (!deployment.empty()) waits_by_deployment_.try_emplace(deployment);
      waiting_.emplace(uid, Waiting{since, std::move(deployment)});
    }
    Tally(pod.spec.node_name.empty() ? "created (pending)" : "created", pod);
  }
  if (event.type == kube::EventType::kDeleted) {
    waiting_.erase(uid);
    if (disrupted_.erase(uid) == 0) Tally("deleted", pod);
    return;
  }
  if (pod.status.phase == "Running") {
    if (auto it = waiting_.find(uid); it != waiting_.end()) {
      const double wait = std::chrono::duration<double>(now - it->second.since).count();
      waits_.push_back(wait);
      if (!it->second.deployment.empty()) {
        waits_by_deployment_[it->second.deployment].push_back(wait);
      }
      waiting_.erase(it);
      Tally("running", pod);
    }
  }
  const api::PodCondition* target = FindPodCondition(pod, "DisruptionTarget");
  if (target != nullptr && target->status == "True" && disrupted_.insert(uid).second) {
    if (target->reason == "EvictionByEvictionAPI") {
      ++evictions_;
      Tally("evicted", pod);
    } else if (target->reason == "PreemptionByScheduler") {
      ++preemptions_;
      Tally("preempted", pod);
    } else {
      Tally("disrupted (" + target->reason + ")", pod);
    }
  }
}

void ReplayRecorder::OnNode(const kube::WatchEvent<api::Node>& event) {
  const api::Node& node = *event.object;
  const core::Time now = driver_.clock().Now();
  if (event.type == kube::EventType::kAdded) {
    nodes_.emplace(node.metadata.name, now);
    return;
  }
  if (event.type != kube::EventType::kDeleted) return;
  if (auto it = nodes_.find(node.metadata.name); it != nodes_.end()) {
    node_hours_gone_ += Hours(now - it->second);
    nodes_.erase(it);
  }
  Note("node", "Node " + node.metadata.name + " deleted");
}

void ReplayRecorder::OnClaim(const kube::WatchEvent<api::NodeClaim>& event) {
  const api::NodeClaim& claim = *event.object;
  const std::string& name = claim.metadata.name;
  if (event.type == kube::EventType::kDeleted) {
    claims_.erase(name);
    Note("nodeclaim", "NodeClaim " + name + " deleted");
    return;
  }
  auto [it, added] = claims_.try_emplace(name);
  if (added && event.type == kube::EventType::kAdded) {
    ++claims_created_;
    const std::string pool = Label(claim.metadata.labels, "karpenter.sh/nodepool");
    Note("nodeclaim",
         fmt::format("NodeClaim {} created (NodePool {}; requests {})", name,
                     pool.empty() ? "none" : pool, claim.spec.resource_requests.ToString()));
  }
  ClaimChanged(claim, it->second);
}

void ReplayRecorder::ClaimChanged(const api::NodeClaim& claim, ClaimState& state) {
  const std::string& name = claim.metadata.name;
  const api::Condition* launched = api::FindCondition(claim.status.conditions, "Launched");
  if (!state.launched && launched != nullptr && launched->IsTrue()) {
    state.launched = true;
    const core::Labels& labels = claim.metadata.labels;
    auto instance = driver_.cloud().Get(claim.status.provider_id);
    Note("nodeclaim",
         fmt::format("NodeClaim {} launched: {} {} in {} (${:.4f}/hour)", name,
                     Label(labels, catalog::kLabelCapacityType),
                     Label(labels, catalog::kLabelInstanceType), Label(labels, catalog::kLabelZone),
                     instance ? instance->price_per_hour : 0.0));
  } else if (!state.launched && launched != nullptr && launched->status == "False" &&
             launched->message != state.launch_error) {
    state.launch_error = launched->message;
    Note("nodeclaim", fmt::format("NodeClaim {} launch failed: {}", name, launched->message));
  }
  if (!state.registered && ConditionTrue(claim.status.conditions, "Registered")) {
    state.registered = true;
    Note("nodeclaim", "NodeClaim " + name + " registered as Node " + claim.status.node_name);
  }
  if (!state.initialized && ConditionTrue(claim.status.conditions, "Initialized")) {
    state.initialized = true;
    Note("nodeclaim", "NodeClaim " + name + " initialized");
  }
  if (!state.deleting && claim.metadata.deletion_timestamp) {
    state.deleting = true;
    Note("nodeclaim", "NodeClaim " + name + " deleting");
  }
}

TimelineSample ReplayRecorder::Snapshot() const {
  kube::MemoryCluster& cluster = driver_.cluster();
  TimelineSample sample;
  sample.at = Now();
  for (const kube::ObjectPtr<api::Node>& node : cluster.Nodes().List()) {
    ++sample.nodes;
    for (const api::NodeCondition& condition : node->status.conditions) {
      if (condition.type == "Ready" && condition.status == "True") ++sample.ready_nodes;
    }
    const std::string type = Label(node->metadata.labels, catalog::kLabelInstanceType);
    const std::string capacity = Label(node->metadata.labels, catalog::kLabelCapacityType);
    ++sample.nodes_by_instance_type[type.empty() ? "unknown" : type];
    ++sample.nodes_by_capacity_type[capacity.empty() ? "unknown" : capacity];
  }
  sample.node_claims = static_cast<int>(cluster.NodeClaims().List().size());
  for (const kube::ObjectPtr<api::Pod>& pod : cluster.Pods().List()) {
    if (!disruption::IsActive(*pod)) continue;
    ++sample.pods;
    if (pod->status.phase == "Running") ++sample.running_pods;
    if (pod->spec.node_name.empty()) ++sample.pending_pods;
  }
  driver_.cloud().ForEachInstance([&sample](const cloud::Instance& instance) {
    sample.cost_per_hour += instance.price_per_hour;
    if (instance.state == cloud::InstanceState::kPending ||
        instance.state == cloud::InstanceState::kRunning) {
      ++sample.instances;
    }
  });
  sample.cost_so_far = driver_.cloud().CostSoFar();
  sample.evictions = evictions_;
  return sample;
}

void ReplayRecorder::Sample() {
  TimelineSample sample = Snapshot();
  if (!report_.timeline.empty() && report_.timeline.back().at == sample.at) {
    report_.timeline.back() = std::move(sample);
  } else {
    report_.timeline.push_back(std::move(sample));
  }
}

void ReplayRecorder::Finish() {
  const core::Time now = driver_.clock().Now();
  ReplaySummary& summary = report_.summary;
  summary.total_cost = driver_.cloud().CostSoFar();
  summary.node_hours = node_hours_gone_;
  for (const auto& [name, since] : nodes_) summary.node_hours += Hours(now - since);
  summary.nodes_launched = claims_created_;
  summary.instances_launched = driver_.cloud().launches();
  summary.evictions = evictions_;
  summary.preemptions = preemptions_;
  if (const controllers::DisruptionController* controller = driver_.controllers().disruption) {
    for (const controllers::ExecutedCommand& command : controller->history()) {
      ++summary.disruptions[fmt::format("{}/{}", disruption::ToString(command.method),
                                        command.reason)];
    }
    summary.disruptions_abandoned = controller->abandoned().size();
  }
  summary.pending = PendingStats::Of(waits_, waiting_.size());
  std::map<std::string, size_t> still_pending;
  for (const auto& [uid, waiting] : waiting_) {
    if (!waiting.deployment.empty()) ++still_pending[waiting.deployment];
  }
  for (const auto& [deployment, waits] : waits_by_deployment_) {
    summary.pods_by_deployment[deployment] = PendingStats::Of(waits, still_pending[deployment]);
  }
}

std::string ReplayRecorder::DeploymentOf(const api::Pod& pod) const {
  for (const api::OwnerReference& owner : pod.metadata.owner_references) {
    if (!owner.controller || owner.kind != "ReplicaSet") continue;
    auto replica_set = driver_.cluster().ReplicaSets().Get({pod.metadata.namespace_, owner.name});
    if (!replica_set) return "";
    for (const api::OwnerReference& parent : (*replica_set)->metadata.owner_references) {
      if (parent.controller && parent.kind == "Deployment") {
        return pod.metadata.namespace_ + "/" + parent.name;
      }
    }
  }
  return "";
}

double ReplayRecorder::Measure(const Check& check, const TimelineSample& now) const {
  const std::string& name = check.name;
  if (name == "disruptions" || name == "expirations") {
    const controllers::DisruptionController* controller = driver_.controllers().disruption;
    if (controller == nullptr) return 0;
    size_t count = 0;
    for (const controllers::ExecutedCommand& command : controller->history()) {
      const bool expiry = command.method == disruption::Method::kExpiration;
      // Budgeted commands count one each; expiry counts the nodes it deleted.
      if (name == "disruptions" && !expiry) ++count;
      if (name == "expirations" && expiry) count += command.candidates.size();
    }
    return static_cast<double>(count);
  }
  if (name.starts_with("pendingSeconds")) {
    std::vector<double> none;
    const std::vector<double>* waits = &waits_;
    if (!check.deployment.empty()) {
      auto it = waits_by_deployment_.find(check.deployment);
      waits = it == waits_by_deployment_.end() ? &none : &it->second;
    }
    const PendingStats stats = PendingStats::Of(*waits, 0);
    const std::optional<double> value = name == "pendingSecondsP50"   ? stats.p50_seconds
                                        : name == "pendingSecondsP99" ? stats.p99_seconds
                                                                      : stats.max_seconds;
    return value.value_or(0);  // no pod started yet
  }
  return sim::Measure(name, now);
}

}  // namespace karpenter::sim
