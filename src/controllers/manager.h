// Manager: runs the controllers' reconciles when they are due. Watch handlers enqueue keys;
// RunDue() reconciles everything due at the clock's now; NextDue() says when the next one is,
// so a virtual-time driver can jump the clock straight there. One thread, deterministic: the
// same inputs give the same order of reconciles.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controllers/controller.h"
#include "controllers/work_queue.h"
#include "core/clock.h"

namespace karpenter::controllers {

class Manager {
 public:
  // Reconciles that requeue with no delay can keep a run going forever; a run stops after
  // this many and leaves the rest due (the next RunDue continues).
  static constexpr size_t kMaxReconcilesPerRun = 1'000'000;

  explicit Manager(const core::Clock& clock) : clock_(clock) {}

  // Takes ownership; names must be unique (a second controller with a taken name is refused
  // and returned as nullptr).
  Controller* Add(std::unique_ptr<Controller> controller);
  Controller* Find(std::string_view name) const;

  // Queues `key` for controller `name`, due after `delay` from now. Unknown names are ignored
  // (returns false).
  bool Enqueue(std::string_view name, const std::string& key,
               core::Duration delay = core::Duration::zero());

  // Reconciles every key due at the clock's now, controllers in the order they were added,
  // until none is due. Returns how many reconciles ran.
  size_t RunDue();
  // The earliest due time over all controllers, or nullopt when nothing is queued.
  std::optional<core::Time> NextDue() const;
  // Reconciles run since construction, per controller name.
  const std::map<std::string, size_t, std::less<>>& reconcile_counts() const { return counts_; }

 private:
  struct Entry {
    std::unique_ptr<Controller> controller;
    WorkQueue queue;
  };
  Entry* FindEntry(std::string_view name);

  const core::Clock& clock_;
  std::vector<Entry> entries_;
  std::map<std::string, size_t, std::less<>> counts_;
};

}  // namespace karpenter::controllers
