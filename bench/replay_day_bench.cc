// Issue 6's replay target: 24 virtual hours of a 2,000-node / 30,000-pod cluster with hourly
// workload swings, through every controller (sim/driver.h), in <= 60 s wall and <= 1 GiB.
//
// The scenario is built as text and parsed like a user's file, so the benchmark runs what
// `karpenter replay` runs (report recorder included):
//   - one NodePool `general` (amd64, c/m/r of at most 8 vCPUs, spot and on-demand,
//     WhenEmptyOrUnderutilized after 1m, the default 10% budget) on us-east-1's catalog;
//   - 100 Deployments of 300 replicas at the daily peak (30,000 pods), each pod asking for
//     450m-600m CPU and 512Mi-1Gi, so a node holds about 15 pods: ~2,000 nodes at the peak;
//   - every hour each Deployment is scaled to its share of a day curve: 100% at 14:00 UTC,
//     60% at 02:00, a sine in between, with a per-app phase so the swings do not all coincide.
// The run starts empty: the first minutes provision the whole cluster at once.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <sys/resource.h>

#include <cmath>
#include <string>

#include "api/yaml_reader.h"
#include "sim/replay.h"
#include "sim/scenario.h"

namespace karpenter::bench {
namespace {

constexpr int kApps = 100;
constexpr int kPeakReplicasPerApp = 300;

constexpr std::string_view kNodePool = R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: general}
spec:
  disruption: {consolidationPolicy: WhenEmptyOrUnderutilized, consolidateAfter: 1m}
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
      - {key: karpenter.k8s.aws/instance-category, operator: In, values: [c, m, r]}
      - {key: karpenter.k8s.aws/instance-cpu, operator: Lt, values: ["9"]}
      - {key: kubernetes.io/arch, operator: In, values: [amd64]}
      - {key: karpenter.sh/capacity-type, operator: In, values: [spot, on-demand]}
---
apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata: {name: default}
spec:
  role: KarpenterNodeRole
  amiSelectorTerms: [{alias: al2023@latest}]
  subnetSelectorTerms: [{tags: {karpenter.sh/discovery: bench}}]
  securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: bench}}]
)";

// The share of its peak an app runs at `hour` (0-23 UTC).
double DayShare(int app, int hour) {
  const double phase = (app % 5) * 0.5;  // hours
  const double angle = (hour - 14 - phase) * 2 * M_PI / 24;
  return 0.8 + 0.2 * std::cos(angle);
}

// The process's peak resident set so far (program, data and benchmark library included).
double MaxRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

int Replicas(int app, int hour) {
  return static_cast<int>(std::lround(kPeakReplicasPerApp * DayShare(app, hour)));
}

std::string Deployment(int app) {
  const int cpu_milli = 450 + 50 * (app % 4);
  const int memory_mi = 512 + 128 * (app % 5);
  return fmt::format(R"(---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: app-{0}, namespace: default}}
spec:
  replicas: 0
  selector: {{matchLabels: {{app: app-{0}}}}}
  template:
    metadata: {{labels: {{app: app-{0}}}}}
    spec:
      containers:
      - name: app
        image: registry.k8s.io/pause:3.9
        resources: {{requests: {{cpu: {1}m, memory: {2}Mi}}}}
)",
                     app, cpu_milli, memory_mi);
}

// `hours` virtual hours of the day (24 for the target; fewer for a quick look).
std::string ScenarioText(int hours) {
  std::string text = fmt::format(R"(apiVersion: sim.karpenter-cpp.io/v1alpha1
kind: Scenario
metadata: {{name: day-2000-nodes}}
spec:
  duration: {}h
  start: "2024-01-01T00:00:00Z"
  region: us-east-1
  sampleEvery: 5m
  objects: [nodepool.yaml]
  steps:
)",
                                 hours);
  for (int hour = 0; hour < hours; ++hour) {
    for (int app = 0; app < kApps; ++app) {
      text += fmt::format("  - at: {}h\n    scale: {{deployment: default/app-{}, replicas: {}}}\n",
                          hour, app, Replicas(app, hour));
    }
  }
  text += fmt::format("  - at: {}h\n    expect: {{pendingPods: 0}}\n", hours);
  for (int app = 0; app < kApps; ++app) text += Deployment(app);
  return text;
}

sim::Scenario LoadScenario(int hours) {
  const std::string text = ScenarioText(hours);
  sim::LoadedScenario loaded =
      sim::ParseScenario(text, "day.yaml", [](const std::string& path) {
        return api::ReadYamlDocuments(kNodePool, path);
      });
  if (!loaded.scenario) {
    for (const auto& diagnostic : loaded.diagnostics) fmt::print("{}\n", diagnostic.message);
    std::abort();
  }
  return std::move(*loaded.scenario);
}

void BM_ReplayDay2000Nodes(benchmark::State& state) {
  const sim::Scenario scenario = LoadScenario(static_cast<int>(state.range(0)));
  sim::ReplayReport report;
  for (auto _ : state) {
    auto result = sim::RunScenario(scenario);
    if (!result) {
      state.SkipWithError(result.error().message.c_str());
      return;
    }
    report = std::move(*result);
  }
  int peak_nodes = 0, peak_pods = 0;
  for (const sim::TimelineSample& sample : report.timeline) {
    peak_nodes = std::max(peak_nodes, sample.nodes);
    peak_pods = std::max(peak_pods, sample.pods);
  }
  state.counters["peak_nodes"] = peak_nodes;
  state.counters["peak_pods"] = peak_pods;
  state.counters["nodeclaims_created"] = static_cast<double>(report.summary.nodes_launched);
  size_t disruptions = 0;
  for (const auto& [reason, count] : report.summary.disruptions) disruptions += count;
  state.counters["disruptions"] = static_cast<double>(disruptions);
  state.counters["total_cost_usd"] = report.summary.total_cost;
  state.counters["passed"] = report.Passed() ? 1 : 0;
  state.counters["max_rss_mib"] = MaxRssMiB();
  if (report.error) state.SkipWithError(report.error->c_str());
}
// Arg: virtual hours. 24 is the target; 2 is the provisioning of the whole cluster and one swing.
BENCHMARK(BM_ReplayDay2000Nodes)->Arg(2)->Arg(24)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace karpenter::bench
