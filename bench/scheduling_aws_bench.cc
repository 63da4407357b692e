// The scheduling simulation against the full built-in AWS us-east-1 catalog (1,235 instance
// types) with three NodePools, as issue 4 asks: 10,000 mixed pods.
//
// NodePools (all three share the catalog; each filters it by its own requirements):
//   general  weight 0:  instance-category In [c m r], arch amd64, spot + on-demand.
//   graviton weight 10: arch arm64, Graviton families (c/m/r 6g, 7g, 8g), limit cpu 4000, so
//                       the heavier pool is tried first, fills up, and the rest spills over to
//                       `general` (pods requiring arm64 then fail once it is full).
//   gpu      weight 0:  instance-category In [g p], taint nvidia.com/gpu=true:NoSchedule.
// Pods, by index modulo 20 (CPU from {100m, 250m, 500m, 1, 2}, memory from {128Mi .. 8Gi},
// seed 42):
//   0-7   plain (40%)
//   8-11  zonal topology spread, maxSkew 1, over 10 apps (20%)
//   12-13 hostname anti-affinity within each of 10 apps (10%)
//   14-17 nodeSelector kubernetes.io/arch: arm64 (20%)
//   18    nodeSelector kubernetes.io/arch: amd64 (5%)
//   19    tolerate the GPU taint and request nvidia.com/gpu 1 (or 4, one in four) (5%)
//
// Memory: "peak_heap_MiB" is the most heap one Schedule() call held at once (counted by this
// program's operator new, for one separate run); "max_rss_MiB" the process's peak resident set.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <deque>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "api/codec/node_pool_codec.h"
#include "api/field_error.h"
#include "api/yaml_reader.h"
#include "heap_counter.h"
#include "catalog/aws_catalog.h"
#include "catalog/labels.h"
#include "scheduling/scheduler.h"

namespace karpenter::scheduling {
namespace {

constexpr std::string_view kPools[] = {
    R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: general}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
      - {key: karpenter.k8s.aws/instance-category, operator: In, values: [c, m, r]}
      - {key: kubernetes.io/arch, operator: In, values: [amd64]}
      - {key: karpenter.sh/capacity-type, operator: In, values: [spot, on-demand]}
)",
    R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: graviton}
spec:
  weight: 10
  limits: {cpu: "4000"}
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
      - {key: kubernetes.io/arch, operator: In, values: [arm64]}
      - key: karpenter.k8s.aws/instance-family
        operator: In
        values: [c6g, c7g, c8g, m6g, m7g, m8g, r6g, r7g, r8g]
)",
    R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: gpu}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
      - {key: karpenter.k8s.aws/instance-category, operator: In, values: [g, p]}
      taints:
      - {key: nvidia.com/gpu, value: "true", effect: NoSchedule}
)",
};

api::NodePool DecodePool(std::string_view yaml) {
  api::ReadResult read = api::ReadYamlDocuments(yaml, "bench.yaml");
  api::FieldErrors errors;
  if (!read.errors.empty() || read.documents.empty()) std::abort();
  api::NodePool pool = api::codec::DecodeNodePool(read.documents[0].value, errors);
  if (!errors.empty()) std::abort();
  return pool;
}

core::LabelSelector Selects(const std::string& key, const std::string& value) {
  core::LabelSelector selector;
  selector.match_labels[key] = value;
  return selector;
}

void AddZonalSpread(api::Pod& pod, const std::string& app) {
  pod.metadata.labels["app"] = app;
  api::TopologySpreadConstraint spread;
  spread.max_skew = 1;
  spread.topology_key = std::string(catalog::kLabelZone);
  spread.label_selector = Selects("app", app);
  pod.spec.topology_spread_constraints.push_back(spread);
}

void AddHostnameAntiAffinity(api::Pod& pod, const std::string& app) {
  pod.metadata.labels["app"] = app;
  api::PodAffinityTerm term;
  term.topology_key = "kubernetes.io/hostname";
  term.label_selector = Selects("app", app);
  pod.spec.affinity.pod_anti_affinity.required.push_back(term);
}

void MakeGpuPod(api::Pod& pod, int gpus) {
  core::Toleration toleration;
  toleration.key = "nvidia.com/gpu";
  toleration.op = core::TolerationOperator::Exists;
  toleration.effect = core::TaintEffect::NoSchedule;
  pod.spec.tolerations.push_back(toleration);
  api::ResourceRequirements& resources = pod.spec.containers[0].resources;
  resources.requests.Set(std::string(catalog::kResourceNvidiaGpu), core::Quantity::FromInt(gpus));
  resources.limits.Set(std::string(catalog::kResourceNvidiaGpu), core::Quantity::FromInt(gpus));
}

std::deque<api::Pod> MixedPods(int n) {
  std::mt19937 random(42);
  const std::vector<core::Quantity> cpus = {
      core::Quantity::FromMilli(100), core::Quantity::FromMilli(250),
      core::Quantity::FromMilli(500), core::Quantity::FromInt(1), core::Quantity::FromInt(2)};
  const std::vector<int64_t> memory_mi = {128, 256, 512, 1024, 2048, 4096, 8192};
  std::deque<api::Pod> pods;
  for (int i = 0; i < n; ++i) {
    api::Pod& pod = pods.emplace_back();
    pod.metadata.name = "pod-" + std::to_string(i);
    pod.metadata.namespace_ = "default";
    pod.metadata.uid = "uid-" + std::to_string(i);
    api::Container& container = pod.spec.containers.emplace_back();
    container.name = "c";
    container.resources.requests.Set("cpu", cpus[random() % cpus.size()]);
    container.resources.requests.Set(
        "memory", core::Quantity::FromInt(memory_mi[random() % memory_mi.size()] << 20,
                                          core::Format::kBinarySI));
    const int kind = i % 20;
    const std::string app = std::to_string(random() % 10);
    if (kind >= 8 && kind <= 11) {
      AddZonalSpread(pod, "spread-" + app);
    } else if (kind == 12 || kind == 13) {
      AddHostnameAntiAffinity(pod, "anti-" + app);
    } else if (kind >= 14 && kind <= 17) {
      pod.spec.node_selector[std::string(catalog::kLabelArch)] = "arm64";
    } else if (kind == 18) {
      pod.spec.node_selector[std::string(catalog::kLabelArch)] = "amd64";
    } else if (kind == 19) {
      MakeGpuPod(pod, i % 80 == 19 ? 4 : 1);
    }
  }
  return pods;
}

// Claims and their pods per NodePool, and the cheapest launch's total price.
void Summarize(const SchedulingResult& result, benchmark::State& state) {
  std::map<std::string, int> claims;
  double cost = 0;
  for (const NewNodeClaim& claim : result.new_node_claims) {
    ++claims[claim.node_pool];
    if (Launch launch = ChooseLaunch(claim); launch.offering != nullptr) {
      cost += launch.offering->price;
    }
  }
  state.counters["nodeclaims"] = static_cast<double>(result.new_node_claims.size());
  for (const auto& [pool, count] : claims) {
    state.counters["claims_" + pool] = static_cast<double>(count);
  }
  state.counters["unschedulable"] = static_cast<double>(result.unschedulable.size());
  state.counters["cost_per_hour"] = cost;
}

void BM_ScheduleAwsCatalog(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  static const catalog::Catalog kCatalog = *catalog::LoadAwsCatalog("us-east-1");
  std::deque<api::NodePool> pools;
  for (std::string_view yaml : kPools) pools.push_back(DecodePool(yaml));
  std::deque<api::Pod> pods = MixedPods(n);
  SchedulingInput input;
  for (const api::Pod& pod : pods) input.pending.push_back(&pod);
  for (const api::NodePool& pool : pools) input.node_pools.push_back({&pool, &kCatalog, {}});

  SchedulingResult measured;
  int64_t peak = bench::PeakHeapBytes([&] { measured = Schedule(input); });
  for (auto _ : state) {
    SchedulingResult result = Schedule(input);
    benchmark::DoNotOptimize(result);
  }
  Summarize(measured, state);
  state.counters["types"] = static_cast<double>(kCatalog.size());
  state.counters["peak_heap_MiB"] = bench::MiB(peak);
  state.counters["max_rss_MiB"] = bench::MaxRssMiB();
  state.counters["pods/s"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ScheduleAwsCatalog)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace karpenter::scheduling
