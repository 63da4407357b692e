// WorkQueue: the keys a controller is due to reconcile, as client-go's delaying work queue
// keeps them: a key is queued at most once (adding it again keeps the earlier due time), and
// keys come out in due-time order, ties in the order they were added. Time is a parameter, so
// the same queue runs on the wall clock and in virtual time.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"

namespace karpenter::controllers {

class WorkQueue {
 public:
  // Queues `key` to run at `due`; a key already queued keeps the earlier of the two times.
  void Add(const std::string& key, core::Time due);
  // The earliest due time, or nullopt when empty.
  std::optional<core::Time> NextDue() const;
  // Removes and returns the keys due at or before `now`, in due order.
  std::vector<std::string> PopDue(core::Time now);
  bool empty() const { return by_key_.empty(); }
  size_t size() const { return by_key_.size(); }

 private:
  using Slot = std::pair<core::Time, uint64_t>;  // due time, then insertion order
  std::map<Slot, std::string> by_due_;
  std::map<std::string, Slot> by_key_;
  uint64_t sequence_ = 0;
};

}  // namespace karpenter::controllers
