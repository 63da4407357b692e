// The binder's preemption (sim/binder.h), as kube-scheduler's DefaultPreemption plugin
// decides it. Internal to the sim layer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/model/pod.h"
#include "api/model/pod_disruption_budget.h"
#include "api/model/priority_class.h"
#include "core/resource_list.h"
#include "kube/cluster.h"
#include "scheduling/scheduler.h"

namespace karpenter::sim::internal {

// The built-in classes every cluster has.
inline constexpr int32_t kSystemClusterCritical = 2'000'000'000;
inline constexpr int32_t kSystemNodeCritical = 2'000'001'000;

// A pod's priority and preemption policy, as the Priority admission plugin resolves them.
class PriorityResolver {
 public:
  explicit PriorityResolver(const std::vector<kube::ObjectPtr<api::PriorityClass>>& classes);

  // spec.priority when set (admission already resolved it); else the value of the pod's
  // priorityClassName (system-cluster-critical and system-node-critical built in); else, with
  // no class name, the globalDefault class's value; else 0. A name no class has gives 0
  // (admission would have refused the pod).
  int32_t PriorityOf(const api::Pod& pod) const;
  // False when spec.preemptionPolicy, else the pod's class's, is Never.
  bool MayPreempt(const api::Pod& pod) const;

 private:
  const api::PriorityClass* ClassOf(const api::Pod& pod) const;

  std::map<std::string, const api::PriorityClass*, std::less<>> by_name_;
  const api::PriorityClass* global_default_ = nullptr;
  std::vector<kube::ObjectPtr<api::PriorityClass>> classes_;  // keeps the pointers valid
};

// Budgets selecting a pod, with the disruptions each still allows in this step.
class BudgetLedger {
 public:
  // `allowed(budget)` says how many disruptions the budget allows now.
  BudgetLedger(std::vector<kube::ObjectPtr<api::PodDisruptionBudget>> budgets,
               const std::function<int32_t(const api::PodDisruptionBudget&)>& allowed);

  // Indices of the budgets guarding `pod` for preemption. As kube-scheduler, a budget with a
  // missing or empty selector guards nothing here (policy/v1 eviction differs).
  std::vector<size_t> Guarding(const api::Pod& pod) const;
  const std::vector<int32_t>& allowed() const { return allowed_; }
  // Takes one disruption from every budget guarding `pod`.
  void Disrupt(const api::Pod& pod);

 private:
  std::vector<kube::ObjectPtr<api::PodDisruptionBudget>> budgets_;
  std::vector<int32_t> allowed_;
};

// What preemption decided for one pending pod.
struct PreemptionDecision {
  enum class Verdict {
    kKeep,      // not eligible now: status.nominatedNodeName stays as it is
    kNominate,  // delete `victims`, nominate the pod to `node`
    kNone,      // no node can be freed for it: its nomination (if any) is cleared
  };
  Verdict verdict = Verdict::kKeep;
  std::string node;
  std::vector<const api::Pod*> victims;  // most important first
};

// The cluster as one binder step leaves it, for preemption decisions made one pending pod at a
// time (highest priority first), each seeing the victims and nominations of those before it.
class Preemptor {
 public:
  // `input`: the binder's nodes (accepting ones, by name) with the pods bound to them, and
  // the namespace labels; its pending pods are ignored. `nominated[i]`: pending pods nominated
  // to input.existing_nodes[i]. Everything pointed to must outlive the preemptor.
  Preemptor(const scheduling::SchedulingInput& input,
            std::vector<std::vector<const api::Pod*>> nominated,
            const PriorityResolver& priorities, BudgetLedger budgets);

  PreemptionDecision Decide(const api::Pod& pod);
  // Applies a kNominate decision: the victims leave the node, the pod is nominated there.
  // Returns the pods nominated to that node with a lower priority than `pod`, whose
  // nominations kube-scheduler clears at this point (they leave this view too).
  std::vector<const api::Pod*> Commit(const api::Pod& pod, const PreemptionDecision& decision);

 private:
  struct Candidate {
    size_t node = 0;
    std::vector<const api::Pod*> victims;  // most important first
    int64_t violations = 0;
  };

  std::optional<Candidate> CandidateOn(size_t node, const api::Pod& pod, int32_t priority);
  // Whether `pod` fits node `node` with exactly `pods` on it (other nodes keep their pods for
  // topology and affinity, but take no pod).
  bool Fits(size_t node, const api::Pod& pod, const std::vector<const api::Pod*>& pods);
  // A cheap necessary condition for Fits: cpu, memory and pod count against allocatable.
  bool RoomFor(size_t node, const api::Pod& pod, const std::vector<const api::Pod*>& pods);
  const core::ResourceList& Requests(const api::Pod& pod);
  bool MoreImportant(const api::Pod* a, const api::Pod* b) const;
  size_t Pick(const std::vector<Candidate>& candidates) const;

  scheduling::SchedulingInput probe_;  // every node marked for deletion but the one probed
  std::vector<std::vector<const api::Pod*>> bound_;
  std::vector<std::vector<const api::Pod*>> nominated_;
  std::map<std::string, size_t, std::less<>> index_;
  const PriorityResolver& priorities_;
  BudgetLedger budgets_;
  std::unordered_map<const api::Pod*, core::ResourceList> requests_;
};

}  // namespace karpenter::sim::internal
