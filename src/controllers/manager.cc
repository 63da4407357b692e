#include "controllers/manager.h"

#include <algorithm>

namespace karpenter::controllers {

Controller* Manager::Add(std::unique_ptr<Controller> controller) {
  if (controller == nullptr || FindEntry(controller->Name()) != nullptr) return nullptr;
  entries_.push_back({std::move(controller), {}});
  return entries_.back().controller.get();
}

Controller* Manager::Find(std::string_view name) const {
  for (const Entry& entry : entries_) {
    if (entry.controller->Name() == name) return entry.controller.get();
  }
  return nullptr;
}

Manager::Entry* Manager::FindEntry(std::string_view name) {
  for (Entry& entry : entries_) {
    if (entry.controller->Name() == name) return &entry;
  }
  return nullptr;
}

bool Manager::Enqueue(std::string_view name, const std::string& key, core::Duration delay) {
  Entry* entry = FindEntry(name);
  if (entry == nullptr) return false;
  entry->queue.Add(key, clock_.Now() + std::max(delay, core::Duration::zero()));
  return true;
}

size_t Manager::RunDue() {
  size_t ran = 0;
  bool progress = true;
  while (progress && ran < kMaxReconcilesPerRun) {
    progress = false;
    for (Entry& entry : entries_) {
      const core::Time now = clock_.Now();
      for (const std::string& key : entry.queue.PopDue(now)) {
        const ReconcileResult result = entry.controller->Reconcile(key);
        if (result.requeue_after) {
          entry.queue.Add(key, now + std::max(*result.requeue_after, core::Duration::zero()));
        }
        ++counts_[std::string(entry.controller->Name())];
        ++ran;
        progress = true;
      }
    }
  }
  return ran;
}

std::optional<core::Time> Manager::NextDue() const {
  std::optional<core::Time> next;
  for (const Entry& entry : entries_) {
    const std::optional<core::Time> due = entry.queue.NextDue();
    if (due && (!next || *due < *next)) next = due;
  }
  return next;
}

}  // namespace karpenter::controllers
