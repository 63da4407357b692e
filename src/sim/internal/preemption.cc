// The binder's preemption: victims per node, the choice of node, and the step's bookkeeping.
#include "sim/internal/preemption.h"

#include <algorithm>
#include <limits>
#include <tuple>
#include <utility>

#include "api/model/pod_requests.h"

namespace karpenter::sim::internal {
namespace {

int64_t StartOf(const api::Pod& pod) {
  // A pod not started yet (or read without a start time) counts from its creation.
  return pod.status.start_time.value_or(pod.metadata.creation_timestamp.value_or(0));
}

void Erase(std::vector<const api::Pod*>& pods, const api::Pod* pod) {
  std::erase(pods, pod);
}

}  // namespace

// --- PriorityResolver ---

PriorityResolver::PriorityResolver(
    const std::vector<kube::ObjectPtr<api::PriorityClass>>& classes)
    : classes_(classes) {
  for (const kube::ObjectPtr<api::PriorityClass>& priority_class : classes_) {
    by_name_.emplace(priority_class->metadata.name, priority_class.get());
    // The API server admits one global default; should there be more, the first by name wins.
    if (priority_class->global_default && global_default_ == nullptr) {
      global_default_ = priority_class.get();
    }
  }
}

const api::PriorityClass* PriorityResolver::ClassOf(const api::Pod& pod) const {
  if (pod.spec.priority_class_name.empty()) return global_default_;
  auto it = by_name_.find(pod.spec.priority_class_name);
  return it == by_name_.end() ? nullptr : it->second;
}

int32_t PriorityResolver::PriorityOf(const api::Pod& pod) const {
  if (pod.spec.priority) return *pod.spec.priority;
  if (const api::PriorityClass* priority_class = ClassOf(pod)) return priority_class->value;
  if (pod.spec.priority_class_name == "system-node-critical") return kSystemNodeCritical;
  if (pod.spec.priority_class_name == "system-cluster-critical") return kSystemClusterCritical;
  return 0;
}

bool PriorityResolver::MayPreempt(const api::Pod& pod) const {
  std::optional<api::PreemptionPolicy> policy = pod.spec.preemption_policy;
  if (!policy) {
    if (const api::PriorityClass* priority_class = ClassOf(pod)) {
      policy = priority_class->preemption_policy;
    }
  }
  return policy.value_or(api::PreemptionPolicy::kPreemptLowerPriority) !=
         api::PreemptionPolicy::kNever;
}

// --- BudgetLedger ---

BudgetLedger::BudgetLedger(std::vector<kube::ObjectPtr<api::PodDisruptionBudget>> budgets,
                           const std::function<int32_t(const api::PodDisruptionBudget&)>& allowed)
    : budgets_(std::move(budgets)) {
  allowed_.reserve(budgets_.size());
  for (const auto& budget : budgets_) allowed_.push_back(allowed(*budget));
}

std::vector<size_t> BudgetLedger::Guarding(const api::Pod& pod) const {
  std::vector<size_t> guarding;
  if (pod.metadata.labels.empty()) return guarding;
  for (size_t i = 0; i < budgets_.size(); ++i) {
    const api::PodDisruptionBudget& budget = *budgets_[i];
    if (budget.metadata.namespace_ != pod.metadata.namespace_ || !budget.selector ||
        budget.selector->IsEmpty() || !budget.selector->Matches(pod.metadata.labels)) {
      continue;
    }
    guarding.push_back(i);
  }
  return guarding;
}

void BudgetLedger::Disrupt(const api::Pod& pod) {
  for (size_t i : Guarding(pod)) --allowed_[i];
}

// --- Preemptor ---

Preemptor::Preemptor(const scheduling::SchedulingInput& input,
                     std::vector<std::vector<const api::Pod*>> nominated,
                     const PriorityResolver& priorities, BudgetLedger budgets)
    : probe_(input),
      nominated_(std::move(nominated)),
      priorities_(priorities),
      budgets_(std::move(budgets)) {
  probe_.pending.clear();
  probe_.node_pools.clear();
  nominated_.resize(probe_.existing_nodes.size());
  for (size_t i = 0; i < probe_.existing_nodes.size(); ++i) {
    scheduling::ExistingNode& node = probe_.existing_nodes[i];
    node.marked_for_deletion = true;
    bound_.push_back(node.pods);
    index_.emplace(node.name, i);
  }
}

const core::ResourceList& Preemptor::Requests(const api::Pod& pod) {
  auto [it, inserted] = requests_.try_emplace(&pod);
  if (inserted) it->second = api::EffectiveRequests(pod);
  return it->second;
}

bool Preemptor::MoreImportant(const api::Pod* a, const api::Pod* b) const {
  const int32_t pa = priorities_.PriorityOf(*a);
  const int32_t pb = priorities_.PriorityOf(*b);
  if (pa != pb) return pa > pb;
  if (StartOf(*a) != StartOf(*b)) return StartOf(*a) < StartOf(*b);
  return std::tie(a->metadata.namespace_, a->metadata.name) <
         std::tie(b->metadata.namespace_, b->metadata.name);
}

bool Preemptor::RoomFor(size_t node, const api::Pod& pod,
                        const std::vector<const api::Pod*>& pods) {
  const core::ResourceList& allocatable = probe_.existing_nodes[node].allocatable;
  for (std::string_view name : {core::kCPU, core::kMemory}) {
    const core::Quantity* room = allocatable.Find(name);
    if (room == nullptr) continue;
    core::Quantity used = Requests(pod).Get(name);
    for (const api::Pod* other : pods) used += Requests(*other).Get(name);
    if (used > *room) return false;
  }
  const core::Quantity* slots = allocatable.Find(core::kPods);
  return slots == nullptr || static_cast<int64_t>(pods.size()) + 1 <= slots->Value();
}

bool Preemptor::Fits(size_t node, const api::Pod& pod, const std::vector<const api::Pod*>& pods) {
  scheduling::ExistingNode& probed = probe_.existing_nodes[node];
  std::vector<const api::Pod*> saved = std::exchange(probed.pods, pods);
  probed.marked_for_deletion = false;
  probe_.pending = {&pod};
  const scheduling::SchedulingResult result = scheduling::Schedule(probe_);
  probe_.pending.clear();
  probed.marked_for_deletion = true;
  probed.pods = std::move(saved);
  for (const scheduling::ExistingNodePlacement& placement : result.existing_node_placements) {
    if (placement.node_name == probed.name) return true;
  }
  return false;
}

std::optional<Preemptor::Candidate> Preemptor::CandidateOn(size_t node, const api::Pod& pod,
                                                           int32_t priority) {
  std::vector<const api::Pod*> lower, kept;
  for (const api::Pod* other : bound_[node]) {
    (priorities_.PriorityOf(*other) < priority ? lower : kept).push_back(other);
  }
  if (lower.empty()) return std::nullopt;
  // Nominated pods of at least this priority keep their room, as kube-scheduler adds them to
  // the node when it filters.
  for (const api::Pod* other : nominated_[node]) {
    if (other != &pod && priorities_.PriorityOf(*other) >= priority) kept.push_back(other);
  }
  if (!RoomFor(node, pod, kept) || !Fits(node, pod, kept)) return std::nullopt;

  // Give back as many of the lower-priority pods as still leaves room, most important first,
  // those whose budget their removal would break before the others.
  std::sort(lower.begin(), lower.end(),
            [this](const api::Pod* a, const api::Pod* b) { return MoreImportant(a, b); });
  std::vector<int32_t> allowed = budgets_.allowed();
  std::vector<const api::Pod*> violating, safe;
  for (const api::Pod* other : lower) {
    bool violates = false;
    for (size_t budget : budgets_.Guarding(*other)) violates |= --allowed[budget] < 0;
    (violates ? violating : safe).push_back(other);
  }
  Candidate candidate{node, {}, 0};
  for (const auto* group : {&violating, &safe}) {
    for (const api::Pod* other : *group) {
      kept.push_back(other);
      if (RoomFor(node, pod, kept) && Fits(node, pod, kept)) continue;
      kept.pop_back();
      candidate.victims.push_back(other);
      if (group == &violating) ++candidate.violations;
    }
  }
  std::sort(candidate.victims.begin(), candidate.victims.end(),
            [this](const api::Pod* a, const api::Pod* b) { return MoreImportant(a, b); });
  return candidate;
}

size_t Preemptor::Pick(const std::vector<Candidate>& candidates) const {
  // kube-scheduler's order: fewest budget violations, lowest highest-priority victim, lowest
  // sum of priorities (each shifted by 2^31 so negatives count), fewest victims, latest start
  // of the highest-priority victims; then the first (here: by node name).
  auto key = [this](const Candidate& c) {
    const int32_t highest = priorities_.PriorityOf(*c.victims.front());
    int64_t sum = 0;
    int64_t earliest = std::numeric_limits<int64_t>::max();
    for (const api::Pod* victim : c.victims) {
      const int32_t priority = priorities_.PriorityOf(*victim);
      sum += int64_t{priority} + (int64_t{1} << 31);
      if (priority == highest) earliest = std::min(earliest, StartOf(*victim));
    }
    return std::make_tuple(c.violations, highest, sum, c.victims.size(), -earliest);
  };
  // A node that needs no victim after all (its pods changed since the pass) wins outright.
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i].victims.empty()) return i;
  }
  size_t best = 0;
  for (size_t i = 1; i < candidates.size(); ++i) {
    if (key(candidates[i]) < key(candidates[best])) best = i;
  }
  return best;
}

PreemptionDecision Preemptor::Decide(const api::Pod& pod) {
  PreemptionDecision decision;
  if (!priorities_.MayPreempt(pod)) return decision;  // kKeep
  const int32_t priority = priorities_.PriorityOf(pod);
  // A pod already nominated waits while lower-priority pods on that node are terminating
  // (kube-scheduler's PodEligibleToPreemptOthers): they are probably its victims.
  if (auto it = index_.find(pod.status.nominated_node_name); it != index_.end()) {
    for (const api::Pod* other : bound_[it->second]) {
      if (other->metadata.deletion_timestamp && priorities_.PriorityOf(*other) < priority) {
        return decision;
      }
    }
  }
  std::vector<Candidate> candidates;
  for (size_t node = 0; node < bound_.size(); ++node) {
    if (auto candidate = CandidateOn(node, pod, priority)) {
      candidates.push_back(std::move(*candidate));
    }
  }
  if (candidates.empty()) {
    decision.verdict = PreemptionDecision::Verdict::kNone;
    return decision;
  }
  Candidate& best = candidates[Pick(candidates)];
  decision.verdict = PreemptionDecision::Verdict::kNominate;
  decision.node = probe_.existing_nodes[best.node].name;
  decision.victims = std::move(best.victims);
  return decision;
}

std::vector<const api::Pod*> Preemptor::Commit(const api::Pod& pod,
                                               const PreemptionDecision& decision) {
  std::vector<const api::Pod*> cleared;
  auto it = index_.find(decision.node);
  if (decision.verdict != PreemptionDecision::Verdict::kNominate || it == index_.end()) {
    return cleared;
  }
  const size_t node = it->second;
  for (const api::Pod* victim : decision.victims) {
    Erase(bound_[node], victim);
    Erase(probe_.existing_nodes[node].pods, victim);
    budgets_.Disrupt(*victim);
  }
  const int32_t priority = priorities_.PriorityOf(pod);
  for (const api::Pod* other : nominated_[node]) {
    if (other != &pod && priorities_.PriorityOf(*other) < priority) cleared.push_back(other);
  }
  for (const api::Pod* other : cleared) Erase(nominated_[node], other);
  for (std::vector<const api::Pod*>& pods : nominated_) Erase(pods, &pod);
  nominated_[node].push_back(&pod);
  return cleared;
}

}  // namespace karpenter::sim::internal
