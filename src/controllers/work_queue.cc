#include "controllers/work_queue.h"

namespace karpenter::controllers {

void WorkQueue::Add(const std::string& key, core::Time due) {
  auto existing = by_key_.find(key);
  if (existing != by_key_.end()) {
    if (existing->second.first <= due) return;
    by_due_.erase(existing->second);
    by_key_.erase(existing);
  }
  const Slot slot{due, sequence_++};
  by_due_.emplace(slot, key);
  by_key_.emplace(key, slot);
}

std::optional<core::Time> WorkQueue::NextDue() const {
  if (by_due_.empty()) return std::nullopt;
  return by_due_.begin()->first.first;
}

std::vector<std::string> WorkQueue::PopDue(core::Time now) {
  std::vector<std::string> due;
  while (!by_due_.empty() && by_due_.begin()->first.first <= now) {
    due.push_back(std::move(by_due_.begin()->second));
    by_key_.erase(due.back());
    by_due_.erase(by_due_.begin());
  }
  return due;
}

}  // namespace karpenter::controllers
