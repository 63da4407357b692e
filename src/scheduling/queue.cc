#include "scheduling/queue.h"

#include <utility>

namespace karpenter::scheduling {

bool SortsBefore(const PodSortKey& a, const PodSortKey& b) {
  if (a.cpu != b.cpu) return a.cpu > b.cpu;
  if (a.memory != b.memory) return a.memory > b.memory;
  if (a.created != b.created) return a.created < b.created;
  return a.uid < b.uid;
}

Queue::Queue(std::vector<int> pods, size_t pod_count)
    : pods_(pods.begin(), pods.end()), last_len_(pod_count, 0), last_len_gen_(pod_count, 0) {}

std::optional<int> Queue::Pop() {
  if (pods_.empty()) return std::nullopt;
  int pod = pods_.front();
  if (last_len_gen_[pod] == generation_ && last_len_[pod] == pods_.size()) return std::nullopt;
  pods_.pop_front();
  return pod;
}

void Queue::Push(int pod, bool relaxed) {
  pods_.push_back(pod);
  if (relaxed) {
    ++generation_;  // forget every recorded length at once
  } else {
    last_len_[pod] = pods_.size();
    last_len_gen_[pod] = generation_;
  }
}

}  // namespace karpenter::scheduling
