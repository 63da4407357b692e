// The order pending pods are tried in, and upstream's rule for when to stop retrying
// (pkg/controllers/provisioning/scheduling/queue.go).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "core/quantity.h"

namespace karpenter::scheduling {

// What the queue orders a pod by.
struct PodSortKey {
  core::Int128 cpu = 0;     // nano-cores requested
  core::Int128 memory = 0;  // nano-bytes requested
  int64_t created = 0;      // creation time, seconds; pods without one sort first
  std::string uid;
};

// Upstream's order: CPU descending, then memory descending, then oldest first, then UID.
bool SortsBefore(const PodSortKey& a, const PodSortKey& b);

// A FIFO of pod indices that notices when it has gone round without progress: a pod that is
// popped while the queue is exactly as long as when it was last pushed back unrelaxed means
// every pod behind it was retried without anything changing, so Pop reports the end.
// Relaxing any pod is progress and resets that memory.
class Queue {
 public:
  // `pods` in the order they are to be tried; `pod_count` bounds the indices.
  Queue(std::vector<int> pods, size_t pod_count);

  // The next pod, or nullopt when empty or no longer making progress.
  std::optional<int> Pop();
  // Re-queues a pod that failed; `relaxed` says whether its constraints were relaxed.
  void Push(int pod, bool relaxed);
  // The pods still queued (after Pop returned nullopt: the ones that gave up).
  const std::deque<int>& remaining() const { return pods_; }

 private:
  std::deque<int> pods_;
  std::vector<size_t> last_len_;         // per pod; valid when generation matches
  std::vector<uint64_t> last_len_gen_;   // per pod
  uint64_t generation_ = 1;
};

}  // namespace karpenter::scheduling
