// Loading the built-in AWS catalog: parse the compiled-in data and build every instance type
// (capacity, overhead, allocatable, labels, offerings) for one region and for all five.
//
// Memory is measured by counting heap bytes through the global operator new/delete of this
// program: "peak_heap_MiB" is the most the load held at once (all five catalogs alive at the
// end) and "retained_heap_MiB" what the finished catalogs keep. The process's peak RSS is
// reported too ("max_rss_MiB", getrusage), which includes the program itself.
#include <malloc.h>
#include <sys/resource.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "catalog/aws_catalog.h"

namespace {

// Counting is switched on only for the one load whose memory is reported, so the timed loop
// pays nothing for it.
std::atomic<bool> counting{false};
std::atomic<int64_t> live_bytes{0};
std::atomic<int64_t> peak_bytes{0};

void Track(int64_t delta) {
  int64_t now = live_bytes.fetch_add(delta, std::memory_order_relaxed) + delta;
  int64_t peak = peak_bytes.load(std::memory_order_relaxed);
  while (now > peak && !peak_bytes.compare_exchange_weak(peak, now)) {
  }
}

double MiB(int64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

std::vector<karpenter::catalog::Catalog> LoadAllRegions() {
  std::vector<karpenter::catalog::Catalog> catalogs;
  for (const std::string& region : karpenter::catalog::AwsRegions()) {
    auto catalog = karpenter::catalog::LoadAwsCatalog(region);
    if (!catalog) std::abort();
    catalogs.push_back(std::move(*catalog));
  }
  return catalogs;
}

void BM_LoadAwsCatalogAllRegions(benchmark::State& state) {
  LoadAllRegions();  // warm up: the embedded data is copied into strings on first use
  live_bytes.store(0);
  peak_bytes.store(0);
  int64_t retained = 0;
  size_t types = 0;
  counting.store(true);
  {
    auto catalogs = LoadAllRegions();
    retained = live_bytes.load();
    for (const auto& catalog : catalogs) types += catalog.size();
  }
  counting.store(false);
  int64_t peak = peak_bytes.load();
  for (auto _ : state) {
    auto catalogs = LoadAllRegions();
    benchmark::DoNotOptimize(catalogs.data());
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["types"] = static_cast<double>(types);
  state.counters["peak_heap_MiB"] = MiB(peak);
  state.counters["retained_heap_MiB"] = MiB(retained);
  state.counters["max_rss_MiB"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}
BENCHMARK(BM_LoadAwsCatalogAllRegions)->Unit(benchmark::kMillisecond);

void BM_LoadAwsCatalog(benchmark::State& state, const std::string& region) {
  for (auto _ : state) {
    auto catalog = karpenter::catalog::LoadAwsCatalog(region);
    benchmark::DoNotOptimize(catalog->types().data());
  }
}
BENCHMARK_CAPTURE(BM_LoadAwsCatalog, us_east_1, std::string("us-east-1"))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LoadAwsCatalog, ap_northeast_2, std::string("ap-northeast-2"))
    ->Unit(benchmark::kMillisecond);

}  // namespace

// Heap accounting for the memory counters above.
// Blocks freed while counting that were allocated before it make live_bytes dip below zero;
// the load under measurement frees nothing it did not allocate, so peak and retained are exact.
void* operator new(size_t size) {
  void* pointer = std::malloc(size == 0 ? 1 : size);
  if (pointer == nullptr) throw std::bad_alloc();
  if (counting.load(std::memory_order_relaxed)) {
    Track(static_cast<int64_t>(malloc_usable_size(pointer)));
  }
  return pointer;
}
void operator delete(void* pointer) noexcept {
  if (pointer == nullptr) return;
  if (counting.load(std::memory_order_relaxed)) {
    Track(-static_cast<int64_t>(malloc_usable_size(pointer)));
  }
  std::free(pointer);
}
void operator delete(void* pointer, size_t) noexcept { operator delete(pointer); }
