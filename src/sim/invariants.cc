#include "sim/invariants.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "api/model/condition.h"
#include "disruption/command.h"
#include "disruption/pod_rules.h"
#include "kube/disruption_budget.h"

namespace karpenter::sim {
namespace {

using disruption::IsActive;

const api::OwnerReference* ControllerOf(const api::ObjectMeta& meta) {
  auto it = std::ranges::find_if(meta.owner_references,
                                 [](const api::OwnerReference& owner) { return owner.controller; });
  return it == meta.owner_references.end() ? nullptr : &*it;
}

// The pod carries DisruptionTarget=True because the Eviction API evicted it.
bool IsEvicted(const api::Pod& pod) {
  return std::ranges::any_of(pod.status.conditions, [](const api::PodCondition& condition) {
    return condition.type == "DisruptionTarget" && condition.status == "True" &&
           condition.reason == "EvictionByEvictionAPI";
  });
}

std::string PodName(const api::Pod& pod) {
  return "Pod/" + pod.metadata.namespace_ + "/" + pod.metadata.name;
}

}  // namespace

InvariantChecker::InvariantChecker(kube::MemoryCluster& cluster, const cloud::SimulatedCloud& cloud,
                                   const core::Clock& clock, InvariantOptions options)
    : cluster_(cluster), cloud_(cloud), clock_(clock), options_(options) {
  for (kube::ObjectPtr<api::Pod>& pod : cluster_.Pods().List()) {
    const std::string uid = pod->metadata.uid;
    pods_[pod->metadata.namespace_][uid] = std::move(pod);
  }
  watch_ = cluster_.Pods().Watch([this](const kube::WatchEvent<api::Pod>& event) { OnPod(event); });
}

InvariantChecker::~InvariantChecker() { cluster_.Pods().Unwatch(watch_); }

void InvariantChecker::OnPod(const kube::WatchEvent<api::Pod>& event) {
  const api::Pod& pod = *event.object;
  auto& in_namespace = pods_[pod.metadata.namespace_];
  if (event.type == kube::EventType::kDeleted) {
    in_namespace.erase(pod.metadata.uid);
    return;
  }
  auto it = in_namespace.find(pod.metadata.uid);
  if (it != in_namespace.end() && IsEvicted(pod) && !IsEvicted(*it->second)) {
    // The mirror still holds every pod as it was just before this eviction's write.
    CheckEviction(*it->second);
  }
  in_namespace[pod.metadata.uid] = event.object;
}

int32_t InvariantChecker::ExpectedPods(const api::PodDisruptionBudget& budget,
                                       const std::vector<const api::Pod*>& selected) const {
  switch (kube::ExpectedPodsSourceOf(budget)) {
    case kube::ExpectedPodsSource::kNone:
      return 0;
    case kube::ExpectedPodsSource::kSelectedPods:
      return static_cast<int32_t>(selected.size());
    case kube::ExpectedPodsSource::kControllerScale:
      break;
  }
  // Each controller counted once with its scale (a Deployment's for the ReplicaSet it runs);
  // a pod without a known controller counts as one, as the in-memory cluster counts it.
  std::map<std::string, int32_t> scales;
  int32_t expected = 0;
  for (const api::Pod* pod : selected) {
    const api::OwnerReference* owner = ControllerOf(pod->metadata);
    if (owner == nullptr || owner->kind != "ReplicaSet") {
      ++expected;
      continue;
    }
    auto replica_set = cluster_.ReplicaSets().Get({pod->metadata.namespace_, owner->name});
    if (!replica_set) {
      ++expected;
      continue;
    }
    std::string uid = (*replica_set)->metadata.uid;
    int32_t replicas = (*replica_set)->replicas;
    if (const api::OwnerReference* deployment_ref = ControllerOf((*replica_set)->metadata)) {
      auto deployment =
          cluster_.Deployments().Get({pod->metadata.namespace_, deployment_ref->name});
      if (deployment) {
        uid = (*deployment)->metadata.uid;
        replicas = (*deployment)->replicas;
      }
    }
    scales.emplace(uid, replicas);
  }
  for (const auto& [uid, replicas] : scales) expected += replicas;
  return expected;
}

void InvariantChecker::CheckEviction(const api::Pod& before) {
  if (!kube::IsPodHealthy(before)) return;  // an unready pod costs the budget nothing
  const auto& in_namespace = pods_[before.metadata.namespace_];
  for (const kube::ObjectPtr<api::PodDisruptionBudget>& budget :
       cluster_.PodDisruptionBudgets().List({before.metadata.namespace_, std::nullopt})) {
    if (!kube::BudgetSelects(*budget, before)) continue;
    std::vector<const api::Pod*> selected;
    int32_t healthy = 0;
    for (const auto& [uid, pod] : in_namespace) {
      if (!kube::BudgetSelects(*budget, *pod)) continue;
      selected.push_back(pod.get());
      if (kube::IsPodHealthy(*pod)) ++healthy;
    }
    const api::PodDisruptionBudgetStatus status =
        kube::ComputeBudgetStatus(*budget, ExpectedPods(*budget, selected), healthy);
    if (status.disruptions_allowed > 0) continue;
    InvariantViolation violation;
    violation.at = clock_.Now();
    violation.invariant = std::string(kPdbViolated);
    violation.message = fmt::format(
        "{} was evicted while PodDisruptionBudget {}/{} allowed no disruption ({} healthy, {} "
        "desired)",
        PodName(before), budget->metadata.namespace_, budget->metadata.name, healthy,
        status.desired_healthy);
    violation.objects = {PodName(before), "PodDisruptionBudget/" + budget->metadata.namespace_ +
                                              "/" + budget->metadata.name};
    pending_.push_back(std::move(violation));
  }
}

void InvariantChecker::CheckReplicaSets(std::vector<InvariantViolation>& found) {
  std::map<std::string, int32_t> active;  // controller uid -> active pods
  for (const kube::ObjectPtr<api::Pod>& pod : cluster_.Pods().List()) {
    const api::OwnerReference* owner = ControllerOf(pod->metadata);
    if (owner != nullptr && IsActive(*pod)) ++active[owner->uid];
  }
  std::set<std::string> short_now;
  for (const kube::ObjectPtr<api::ReplicaSet>& replica_set : cluster_.ReplicaSets().List()) {
    if (replica_set->metadata.deletion_timestamp) continue;
    const std::string& uid = replica_set->metadata.uid;
    const int32_t have = active[uid];
    if (have >= replica_set->replicas) continue;
    short_now.insert(uid);
    if (short_replica_sets_.contains(uid)) continue;
    const std::string name =
        "ReplicaSet/" + replica_set->metadata.namespace_ + "/" + replica_set->metadata.name;
    found.push_back({clock_.Now(),
                     std::string(kPodLost),
                     fmt::format("{} wants {} pods but {} are pending or running", name,
                                 replica_set->replicas, have),
                     {name}});
  }
  short_replica_sets_ = std::move(short_now);
}

void InvariantChecker::CheckInstances(std::vector<InvariantViolation>& found) {
  const core::Time now = clock_.Now();
  std::map<std::string, core::Time> orphaned;
  for (const cloud::Instance& instance : cloud_.List()) {
    if (instance.state != cloud::InstanceState::kPending &&
        instance.state != cloud::InstanceState::kRunning) {
      continue;
    }
    auto claim = cluster_.NodeClaims().Get({"", instance.node_claim});
    const bool owned = claim && ((*claim)->status.provider_id.empty() ||
                                 (*claim)->status.provider_id == instance.provider_id);
    if (owned) continue;
    auto since = orphaned_since_.find(instance.provider_id);
    const core::Time first = since == orphaned_since_.end() ? now : since->second;
    orphaned.emplace(instance.provider_id, first);
    if (now - first <= options_.instance_grace || leaked_.contains(instance.provider_id)) {
      continue;
    }
    leaked_.insert(instance.provider_id);
    found.push_back(
        {now,
         std::string(kInstanceLeak),
         fmt::format("instance {} ({}) has had no NodeClaim for {}s (NodeClaim {} is gone)",
                     instance.provider_id, instance.instance_type,
                     std::chrono::duration_cast<std::chrono::seconds>(now - first).count(),
                     instance.node_claim),
         {"Instance/" + instance.provider_id, "NodeClaim/" + instance.node_claim}});
  }
  orphaned_since_ = std::move(orphaned);
}

void InvariantChecker::CheckCommands(std::vector<InvariantViolation>& found) {
  if (history_ == nullptr) return;
  for (; commands_checked_ < history_->size(); ++commands_checked_) {
    const controllers::ExecutedCommand& command = (*history_)[commands_checked_];
    if (command.outcome != controllers::CommandOutcome::kExecuted) continue;
    for (const std::string& name : command.replacement_node_claims) {
      auto claim = cluster_.NodeClaims().Get({"", name});
      const bool initialized =
          claim && api::FindCondition((*claim)->status.conditions, "Initialized") != nullptr &&
          api::FindCondition((*claim)->status.conditions, "Initialized")->IsTrue();
      if (initialized) continue;
      std::vector<std::string> objects;
      for (const std::string& candidate : command.candidates)
        objects.push_back("Node/" + candidate);
      objects.push_back("NodeClaim/" + name);
      found.push_back({clock_.Now(), std::string(kNodeDeletedBeforeReplacement),
                       fmt::format("{} ({}) deleted {} while its replacement NodeClaim {} {}",
                                   disruption::ToString(command.method), command.reason,
                                   fmt::join(command.candidates, ", "), name,
                                   claim ? "was not initialized" : "did not exist"),
                       std::move(objects)});
    }
  }
}

std::vector<InvariantViolation> InvariantChecker::Check() {
  std::vector<InvariantViolation> found = std::move(pending_);
  pending_.clear();
  CheckReplicaSets(found);
  CheckInstances(found);
  CheckCommands(found);
  violations_.insert(violations_.end(), found.begin(), found.end());
  return found;
}

}  // namespace karpenter::sim
