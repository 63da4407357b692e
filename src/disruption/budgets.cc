#include "disruption/budgets.h"

#include <algorithm>

#include "core/duration.h"
#include "disruption/cron_schedule.h"

namespace karpenter::disruption {

Result<bool> IsBudgetActive(const api::Budget& budget, Time now) {
  if (!budget.schedule && !budget.duration) return true;
  if (!budget.schedule) return Fail("duration is set without a schedule");
  Result<CronSchedule> schedule = CronSchedule::Parse(*budget.schedule);
  if (!schedule) {
    return Fail("invalid schedule \"" + *budget.schedule + "\": " + schedule.error().message);
  }
  const std::chrono::nanoseconds duration = budget.duration.value_or(std::chrono::nanoseconds(0));
  std::optional<Time> next = schedule->Next(now - duration);
  return !next || *next <= now;
}

Result<int64_t> BudgetAllowed(const api::Budget& budget, int64_t node_count, Time now) {
  Result<bool> active = IsBudgetActive(budget, now);
  if (!active) return std::unexpected(active.error());
  if (!*active) return kUnbounded;
  return budget.nodes.Scaled(node_count, /*round_up=*/true);
}

std::optional<Time> WindowEnd(const api::Budget& budget, Time now) {
  if (!budget.schedule || !budget.duration) return std::nullopt;
  Result<CronSchedule> schedule = CronSchedule::Parse(*budget.schedule);
  if (!schedule) return std::nullopt;
  std::optional<Time> firing = schedule->Previous(now);
  if (!firing) return std::nullopt;
  const auto duration = std::chrono::duration_cast<Time::duration>(*budget.duration);
  Time end = *firing + duration;
  if (end <= now) return std::nullopt;
  for (int i = 0; i < kMaxWindowFirings; ++i) {
    firing = schedule->Next(*firing);
    if (!firing || *firing >= end) return end;
    end = *firing + duration;
  }
  return std::nullopt;
}

std::vector<api::Budget> EffectiveBudgets(const api::NodePool& node_pool) {
  if (!node_pool.spec.disruption.budgets.empty()) return node_pool.spec.disruption.budgets;
  return {api::Budget{}};
}

BudgetStatus ComputeBudget(const api::NodePool& node_pool, api::DisruptionReason reason,
                           int64_t node_count, int64_t disrupting, Time now) {
  BudgetStatus status;
  status.node_pool = node_pool.metadata.name;
  status.reason = reason;
  status.node_count = node_count;
  status.disrupting = disrupting;
  const std::vector<api::Budget> budgets = EffectiveBudgets(node_pool);
  for (size_t i = 0; i < budgets.size(); ++i) {
    const api::Budget& budget = budgets[i];
    Result<int64_t> allowed = BudgetAllowed(budget, node_count, now);
    if (!allowed) {
      status.errors.push_back("budgets[" + std::to_string(i) + "]: " + allowed.error().message);
      continue;
    }
    const bool applies =
        budget.reasons.empty() ||
        std::find(budget.reasons.begin(), budget.reasons.end(), reason) != budget.reasons.end();
    if (!applies || *allowed == kUnbounded) continue;
    // Among equal limits, an unscheduled budget is the one to name: the window of a scheduled
    // one closing would change nothing.
    const bool tighter =
        *allowed < status.budget || (*allowed == status.budget && status.limiting &&
                                     status.limiting->budget.schedule && !budget.schedule);
    if (!tighter) continue;
    status.budget = *allowed;
    status.limiting = BudgetStatus::Limit{i, budget, std::nullopt};
  }
  if (status.limiting) status.limiting->until = WindowEnd(status.limiting->budget, now);
  // Fail closed: upstream returns 0 for the NodePool when any budget is misconfigured.
  if (!status.errors.empty()) status.budget = 0;
  status.allowed = std::max<int64_t>(status.budget - disrupting, 0);
  return status;
}

BudgetMapping BuildBudgetMapping(const Snapshot& snapshot, api::DisruptionReason reason) {
  std::map<std::string, std::pair<int64_t, int64_t>, std::less<>> counts;
  for (const SnapshotNode& node : snapshot.nodes) {
    if (!node.node_claim || !node.initialized) continue;
    auto& [total, disrupting] = counts[node.node_pool];
    ++total;
    if (node.deleting || !node.Ready()) ++disrupting;
  }
  BudgetMapping mapping;
  for (const api::NodePool& pool : snapshot.node_pools) {
    auto it = counts.find(pool.metadata.name);
    const int64_t total = it == counts.end() ? 0 : it->second.first;
    const int64_t disrupting = it == counts.end() ? 0 : it->second.second;
    mapping.emplace(pool.metadata.name,
                    ComputeBudget(pool, reason, total, disrupting, snapshot.now));
  }
  return mapping;
}

std::string BudgetExhaustedReason(const BudgetStatus& status) {
  std::string text = "budget for reason " + std::string(api::ToString(status.reason)) +
                     " in NodePool \"" + status.node_pool + "\" is exhausted";
  if (!status.errors.empty()) {
    text += " (an invalid budget closes the NodePool:";
    for (const std::string& error : status.errors) text += " " + error + ";";
    text.back() = ')';
    return text;
  }
  text += " (" + std::to_string(std::min(status.budget, status.node_count)) + " of " +
          std::to_string(status.node_count) + " nodes may be disrupted at once";
  if (status.disrupting > 0) {
    text += "; " + std::to_string(status.disrupting) + " already disrupting or not ready";
  }
  if (status.limiting && status.limiting->budget.schedule) {
    const api::Budget& budget = status.limiting->budget;
    text += "; budgets[" + std::to_string(status.limiting->index) + "] (nodes \"" +
            budget.nodes.ToString() + "\", schedule \"" + *budget.schedule + "\"";
    if (budget.duration) text += ", duration " + core::FormatGoDuration(*budget.duration);
    text += ") applies";
    if (status.limiting->until) text += " until " + FormatTime(*status.limiting->until);
  }
  return text + ")";
}

}  // namespace karpenter::disruption
