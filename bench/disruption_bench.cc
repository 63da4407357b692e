// The disruption pass at issue 5's scale: 2,000 Karpenter-managed nodes running 30,000 app pods
// (plus one DaemonSet pod per node), three NodePools over the full AWS us-east-1 catalog. The
// cluster is described in disruption_cluster.h.
//
// Benchmarks:
//   BM_DisruptionPass          RunDisruptionPass(snapshot) as the controller runs it: view
//                              build, expiration, candidates, emptiness (finds nothing: the
//                              empty nodes are not consolidatable yet), drift (none), then
//                              multi-node consolidation, and single-node only if multi-node
//                              found nothing; it stops at the first command.
//   BM_ConsolidateAllCandidates The worst case of a pass: view build, candidates, multi-node
//                              consolidation over its batch (ComputeMultiNodeConsolidation),
//                              then single-node consolidation simulated for every eligible
//                              candidate (ComputeSingleNodeConsolidation called once per
//                              candidate, as if every earlier one had failed).
//   BM_SnapshotAndView         BuildSnapshot from the listed objects plus BuildSchedulingView.
//
// Memory: "peak_heap_MiB" is the most heap one run held at once above what was live before it
// (the snapshot and catalog are built before it; counted by this program's operator new, for
// one separate run); "max_rss_MiB" the process's peak resident set, everything included.
#include <benchmark/benchmark.h>

#include <memory>

#include "disruption/budgets.h"
#include "disruption/candidates.h"
#include "disruption/consolidation.h"
#include "disruption/pass.h"
#include "disruption_cluster.h"
#include "heap_counter.h"

namespace karpenter::disruption {
namespace {

const std::shared_ptr<const catalog::Catalog>& AwsCatalog() {
  static const std::shared_ptr<const catalog::Catalog> kCatalog =
      std::make_shared<const catalog::Catalog>(*catalog::LoadAwsCatalog("us-east-1"));
  return kCatalog;
}

const ClusterObjects& Objects() {
  static const ClusterObjects kObjects = bench::MakeClusterObjects({}, AwsCatalog());
  return kObjects;
}

// Built from objects of its own (not Objects()), so that a run of the pass benchmarks alone
// holds only the catalog and the snapshot.
const Snapshot& ClusterSnapshot() {
  static const Snapshot kSnapshot =
      BuildSnapshot(bench::MakeClusterObjects({}, AwsCatalog()), bench::ClusterNow());
  return kSnapshot;
}

void ClusterCounters(benchmark::State& state, const Snapshot& snapshot) {
  size_t pods = 0;
  for (const SnapshotNode& node : snapshot.nodes) pods += node.pods.size();
  state.counters["nodes"] = static_cast<double>(snapshot.nodes.size());
  state.counters["pods"] = static_cast<double>(pods);
}

void ClusterCounters(benchmark::State& state, const ClusterObjects& objects) {
  state.counters["nodes"] = static_cast<double>(objects.nodes.size());
  state.counters["pods"] = static_cast<double>(objects.pods.size());
}

void MemoryCounters(benchmark::State& state, int64_t peak) {
  state.counters["peak_heap_MiB"] = bench::MiB(peak);
  state.counters["max_rss_MiB"] = bench::MaxRssMiB();
}

void BM_DisruptionPass(benchmark::State& state) {
  const Snapshot& snapshot = ClusterSnapshot();
  PassResult measured;
  const int64_t peak = bench::PeakHeapBytes([&] { measured = RunDisruptionPass(snapshot); });
  for (auto _ : state) {
    PassResult result = RunDisruptionPass(snapshot);
    benchmark::DoNotOptimize(result);
  }
  ClusterCounters(state, snapshot);
  state.counters["commands"] = static_cast<double>(measured.commands.size());
  const size_t command_nodes =
      measured.commands.empty() ? 0 : measured.commands.back().candidates.size();
  state.counters["command_nodes"] = static_cast<double>(command_nodes);
  state.counters["method"] =
      measured.commands.empty() ? -1 : static_cast<double>(measured.commands.back().method);
  state.counters["blocked"] = static_cast<double>(measured.blocked.size());
  MemoryCounters(state, peak);
}
BENCHMARK(BM_DisruptionPass)->Unit(benchmark::kMillisecond);

struct AllCandidatesOutcome {
  size_t eligible = 0;
  size_t multi_nodes = 0;  // candidates in the multi-node command (0: none)
  size_t single_commands = 0;
};

AllCandidatesOutcome ConsolidateAllCandidates(const Snapshot& snapshot) {
  AllCandidatesOutcome outcome;
  const SchedulingView view = BuildSchedulingView(snapshot);
  const CandidateSet set = FindCandidates(snapshot);
  const BudgetMapping budgets = BuildBudgetMapping(snapshot, api::DisruptionReason::kUnderutilized);
  ConsolidationDecision multi =
      ComputeMultiNodeConsolidation(snapshot, view, set.candidates, budgets, {});
  if (multi.command) outcome.multi_nodes = multi.command->candidates.size();
  std::vector<BlockedNode> blocked;
  std::vector<const Candidate*> eligible =
      ConsolidationCandidates(snapshot, set.candidates, blocked);
  SortConsolidationCandidates(eligible);
  outcome.eligible = eligible.size();
  std::vector<Candidate> one(1);
  for (const Candidate* candidate : eligible) {
    one[0] = *candidate;
    ConsolidationDecision single = ComputeSingleNodeConsolidation(snapshot, view, one, budgets, {});
    if (single.command) ++outcome.single_commands;
  }
  return outcome;
}

void BM_ConsolidateAllCandidates(benchmark::State& state) {
  const Snapshot& snapshot = ClusterSnapshot();
  AllCandidatesOutcome measured;
  const int64_t peak = bench::PeakHeapBytes([&] { measured = ConsolidateAllCandidates(snapshot); });
  for (auto _ : state) {
    AllCandidatesOutcome outcome = ConsolidateAllCandidates(snapshot);
    benchmark::DoNotOptimize(outcome);
  }
  ClusterCounters(state, snapshot);
  state.counters["eligible"] = static_cast<double>(measured.eligible);
  state.counters["multi_nodes"] = static_cast<double>(measured.multi_nodes);
  state.counters["single_commands"] = static_cast<double>(measured.single_commands);
  MemoryCounters(state, peak);
}
BENCHMARK(BM_ConsolidateAllCandidates)->Unit(benchmark::kMillisecond);

void BM_SnapshotAndView(benchmark::State& state) {
  const ClusterObjects& objects = Objects();
  int64_t peak = bench::PeakHeapBytes([&] {
    Snapshot snapshot = BuildSnapshot(objects, bench::ClusterNow());
    SchedulingView view = BuildSchedulingView(snapshot);
    benchmark::DoNotOptimize(view);
  });
  for (auto _ : state) {
    state.PauseTiming();
    ClusterObjects copy = objects;
    state.ResumeTiming();
    Snapshot snapshot = BuildSnapshot(std::move(copy), bench::ClusterNow());
    SchedulingView view = BuildSchedulingView(snapshot);
    benchmark::DoNotOptimize(view);
    state.PauseTiming();
    {
      Snapshot discard = std::move(snapshot);
      SchedulingView discard_view = std::move(view);
    }
    state.ResumeTiming();
  }
  ClusterCounters(state, objects);
  MemoryCounters(state, peak);
}
BENCHMARK(BM_SnapshotAndView)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace karpenter::disruption
