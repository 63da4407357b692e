// The scheduling simulation on upstream Karpenter's benchmark shape: 400 synthetic instance
// types and n diverse pods (plain, zonal spread, hostname spread, zonal self-affinity,
// hostname self-anti-affinity), one NodePool.
//
// Memory: "peak_heap_MiB" is the most heap one Schedule() call held at once (counted by this
// program's operator new, for one separate run); "max_rss_MiB" the process's peak resident set.
#include <benchmark/benchmark.h>

#include <deque>
#include <random>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/labels.h"
#include "heap_counter.h"
#include "scheduling/scheduler.h"

namespace karpenter::scheduling {
namespace {

catalog::Catalog SyntheticCatalog() {
  std::vector<catalog::InstanceType> types;
  const std::vector<std::string> zones = {"test-zone-1", "test-zone-2", "test-zone-3"};
  for (int i = 0; i < 400; ++i) {
    int cpu = i + 1;
    int memory_gi = 2 * (i + 1);
    double price = 0.1 * cpu + 0.1 * memory_gi;
    std::string name = "fake-it-" + std::to_string(i);
    core::ResourceList capacity = {
        {"cpu", core::Quantity::FromInt(cpu)},
        {"memory", core::Quantity::FromInt(int64_t{memory_gi} << 30, core::Format::kBinarySI)},
        {"pods", core::Quantity::FromInt(10 * (i + 1))}};
    std::vector<catalog::Offering> offerings;
    for (int z = 0; z < 3; ++z) {
      if (z < 2) {
        offerings.push_back({zones[z], catalog::CapacityType::kSpot, price,
                             catalog::PriceSource::kCustom, true});
      }
      offerings.push_back({zones[z], catalog::CapacityType::kOnDemand, price,
                           catalog::PriceSource::kCustom, true});
    }
    core::Requirements requirements;
    requirements.Add(core::Requirement::In(std::string(catalog::kLabelInstanceType), {name}));
    requirements.Add(core::Requirement::In(std::string(catalog::kLabelZone), zones));
    requirements.Add(
        core::Requirement::In(std::string(catalog::kLabelCapacityType), {"spot", "on-demand"}));
    requirements.Add(core::Requirement::In(std::string(catalog::kLabelArch), {"amd64"}));
    requirements.Add(core::Requirement::In(std::string(catalog::kLabelOs), {"linux"}));
    types.push_back(catalog::InstanceType::WithRequirements(name, capacity, {}, requirements,
                                                            std::move(offerings)));
  }
  return *catalog::Catalog::Create(std::move(types));
}

core::LabelSelector Selects(const std::string& key, const std::string& value) {
  core::LabelSelector selector;
  selector.match_labels[key] = value;
  return selector;
}

std::deque<api::Pod> DiversePods(int n) {
  std::mt19937 random(42);
  const std::vector<core::Quantity> cpus = {
      core::Quantity::FromMilli(100), core::Quantity::FromMilli(250), core::Quantity::FromMilli(500),
      core::Quantity::FromInt(1), core::Quantity::FromMilli(1500)};
  const std::vector<int64_t> memory_mi = {100, 256, 512, 1024, 2048, 4096};
  std::deque<api::Pod> pods;
  for (int i = 0; i < n; ++i) {
    api::Pod pod;
    pod.metadata.name = "pod-" + std::to_string(i);
    pod.metadata.namespace_ = "default";
    pod.metadata.uid = "uid-" + std::to_string(i);
    api::Container container;
    container.name = "c";
    container.resources.requests.Set("cpu", cpus[random() % cpus.size()]);
    container.resources.requests.Set(
        "memory", core::Quantity::FromInt(memory_mi[random() % memory_mi.size()] << 20,
                                          core::Format::kBinarySI));
    pod.spec.containers.push_back(container);
    int kind = i % 5;
    if (kind == 1 || kind == 2) {
      std::string app = kind == 1 ? "zonal-spread" : "host-spread";
      pod.metadata.labels["app"] = app;
      api::TopologySpreadConstraint spread;
      spread.max_skew = 1;
      spread.topology_key = kind == 1 ? "topology.kubernetes.io/zone" : "kubernetes.io/hostname";
      spread.label_selector = Selects("app", app);
      pod.spec.topology_spread_constraints.push_back(spread);
    } else if (kind == 3) {
      std::string value = "affinity-" + std::to_string(random() % 7);
      pod.metadata.labels["group"] = value;
      api::PodAffinityTerm term;
      term.topology_key = "topology.kubernetes.io/zone";
      term.label_selector = Selects("group", value);
      pod.spec.affinity.pod_affinity.required.push_back(term);
    } else if (kind == 4) {
      pod.metadata.labels["app"] = "anti";
      api::PodAffinityTerm term;
      term.topology_key = "kubernetes.io/hostname";
      term.label_selector = Selects("app", "anti");
      pod.spec.affinity.pod_anti_affinity.required.push_back(term);
    }
    pods.push_back(std::move(pod));
  }
  return pods;
}

void BM_ScheduleDiversePods(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  static const catalog::Catalog kCatalog = SyntheticCatalog();
  api::NodePool pool;
  pool.metadata.name = "default";
  std::deque<api::Pod> pods = DiversePods(n);
  SchedulingInput input;
  for (const api::Pod& pod : pods) input.pending.push_back(&pod);
  input.node_pools.push_back({&pool, &kCatalog, {}});
  SchedulingResult measured;
  int64_t peak = bench::PeakHeapBytes([&] { measured = Schedule(input); });
  for (auto _ : state) {
    SchedulingResult result = Schedule(input);
    benchmark::DoNotOptimize(result);
  }
  state.counters["nodeclaims"] = static_cast<double>(measured.new_node_claims.size());
  state.counters["unschedulable"] = static_cast<double>(measured.unschedulable.size());
  state.counters["peak_heap_MiB"] = bench::MiB(peak);
  state.counters["max_rss_MiB"] = bench::MaxRssMiB();
  state.counters["pods/s"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ScheduleDiversePods)
    ->Arg(1)->Arg(100)->Arg(1000)->Arg(5000)->Arg(20000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace karpenter::scheduling
