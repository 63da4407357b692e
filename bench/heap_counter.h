// Heap accounting for a benchmark program: replaces the global operator new/delete so that a
// benchmark can measure the most heap one piece of work held at once. Include this header in
// exactly ONE translation unit of a benchmark executable (it defines the replacement
// operators, which may exist once per program).
//
// Counting is off by default and switched on only around the one run whose memory is
// reported, so timed loops pay nothing but a relaxed atomic load per allocation.
#pragma once

#include <malloc.h>
#include <sys/resource.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace karpenter::bench {

struct HeapCounter {
  static inline std::atomic<bool> counting{false};
  static inline std::atomic<int64_t> live{0};
  static inline std::atomic<int64_t> peak{0};

  static void Track(int64_t delta) {
    int64_t now = live.fetch_add(delta, std::memory_order_relaxed) + delta;
    int64_t seen = peak.load(std::memory_order_relaxed);
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
  }
};

// The most heap `work()` held at once above what was live before it, in bytes. Blocks freed
// during `work` that were allocated before it make the live count dip below zero, so the
// result can only understate when `work` frees older memory; the scheduler does not.
template <typename F>
int64_t PeakHeapBytes(F&& work) {
  HeapCounter::live.store(0);
  HeapCounter::peak.store(0);
  HeapCounter::counting.store(true);
  work();
  HeapCounter::counting.store(false);
  return HeapCounter::peak.load();
}

inline double MiB(int64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

// The process's peak resident set so far, in MiB (program, data and benchmark library included).
inline double MaxRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace karpenter::bench

void* operator new(size_t size) {
  void* pointer = std::malloc(size == 0 ? 1 : size);
  if (pointer == nullptr) throw std::bad_alloc();
  if (karpenter::bench::HeapCounter::counting.load(std::memory_order_relaxed)) {
    karpenter::bench::HeapCounter::Track(static_cast<int64_t>(malloc_usable_size(pointer)));
  }
  return pointer;
}
void* operator new[](size_t size) { return operator new(size); }
void operator delete(void* pointer) noexcept {
  if (pointer == nullptr) return;
  if (karpenter::bench::HeapCounter::counting.load(std::memory_order_relaxed)) {
    karpenter::bench::HeapCounter::Track(-static_cast<int64_t>(malloc_usable_size(pointer)));
  }
  std::free(pointer);
}
void operator delete[](void* pointer) noexcept { operator delete(pointer); }
void operator delete(void* pointer, size_t) noexcept { operator delete(pointer); }
void operator delete[](void* pointer, size_t) noexcept { operator delete(pointer); }
