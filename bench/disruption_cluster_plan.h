// The plan behind the disruption benchmark's cluster (disruption_cluster.h): which apps exist,
// which nodes (pool, instance type, zone, capacity type, fill target), and which app's pods go
// to which node. Plain numbers: disruption_cluster.h turns them into API objects.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"

namespace karpenter::bench {

struct ClusterShape {
  int nodes = 2000;
  int app_pods = 30000;
  int apps = 400;
  unsigned seed = 7;
};

namespace cluster_internal {

inline constexpr std::array<std::string_view, 3> kZones = {"us-east-1a", "us-east-1b",
                                                           "us-east-1c"};

// Instance types each NodePool's nodes run, per pool above.
inline const std::vector<std::vector<std::string>>& PoolTypes() {
  static const std::vector<std::vector<std::string>> kTypes = {
      {"m5.large", "m5.xlarge", "m5.2xlarge", "m5.4xlarge", "c5.xlarge", "c5.2xlarge", "c5.4xlarge",
       "r5.large", "r5.xlarge", "r5.2xlarge", "m6i.xlarge", "m6i.2xlarge", "c6i.2xlarge",
       "r6i.xlarge", "m7i.2xlarge"},
      {"m6g.xlarge", "m6g.2xlarge", "c6g.2xlarge", "c6g.4xlarge", "r6g.xlarge", "m7g.2xlarge",
       "c7g.xlarge", "m7g.4xlarge"},
      {"m6a.xlarge", "m6a.2xlarge", "c6a.2xlarge", "c6a.4xlarge", "r6a.xlarge", "m6a.4xlarge"},
  };
  return kTypes;
}

enum class AppKind { kPlain, kZonalSpread, kAntiAffinity, kArm64, kOnDemand, kPdb };

struct App {
  std::string name;
  std::string namespace_;
  AppKind kind = AppKind::kPlain;
  int64_t cpu_milli = 0;
  int64_t memory_mi = 0;
  bool strict_pdb = false;  // minAvailable 100%
};

struct NodePlan {
  int pool = 0;
  const catalog::InstanceType* type = nullptr;
  int zone = 0;
  bool spot = false;
  bool recently_emptied = false;
  int64_t budget_cpu_milli = 0;  // fill target
  int64_t budget_memory_mi = 0;
  int64_t alloc_cpu_milli = 0;  // allocatable minus the daemon pod
  int64_t alloc_memory_mi = 0;
  int64_t alloc_pods = 0;
  int64_t used_cpu_milli = 0;
  int64_t used_memory_mi = 0;
  int64_t used_pods = 0;
  std::vector<int> apps;  // app index per pod placed
};

inline constexpr int64_t kDaemonCpuMilli = 100;
inline constexpr int64_t kDaemonMemoryMi = 128;

inline std::vector<App> MakeApps(const ClusterShape& shape, std::mt19937& random) {
  const int64_t cpus[] = {50, 100, 100, 150, 200, 250, 300, 500, 1000};
  const int64_t memory[] = {64, 128, 128, 256, 256, 512, 512, 1024, 2048};
  std::vector<App> apps;
  for (int a = 0; a < shape.apps; ++a) {
    App app;
    app.name = "app-" + std::to_string(a);
    app.namespace_ = "team-" + std::to_string(a % 20);
    app.cpu_milli = cpus[random() % std::size(cpus)];
    app.memory_mi = memory[random() % std::size(memory)];
    // By index mod 20: 0-9 plain, 10-13 spread, 14-15 anti-affinity, 16-17 arm64, 18
    // on-demand, 19 PDB.
    constexpr AppKind kKinds[] = {
        AppKind::kPlain,        AppKind::kPlain,       AppKind::kPlain,
        AppKind::kPlain,        AppKind::kPlain,       AppKind::kPlain,
        AppKind::kPlain,        AppKind::kPlain,       AppKind::kPlain,
        AppKind::kPlain,        AppKind::kZonalSpread, AppKind::kZonalSpread,
        AppKind::kZonalSpread,  AppKind::kZonalSpread, AppKind::kAntiAffinity,
        AppKind::kAntiAffinity, AppKind::kArm64,       AppKind::kArm64,
        AppKind::kOnDemand,     AppKind::kPdb};
    app.kind = kKinds[a % 20];
    app.strict_pdb = a % 40 == 5;
    apps.push_back(std::move(app));
  }
  return apps;
}

inline std::vector<NodePlan> PlanNodes(const ClusterShape& shape, const catalog::Catalog& catalog,
                                       std::mt19937& random) {
  std::vector<NodePlan> plans;
  for (int n = 0; n < shape.nodes; ++n) {
    NodePlan plan;
    const int slot = n % 10;
    plan.pool = slot < 5 ? 0 : (slot < 8 ? 1 : 2);
    const std::vector<std::string>& names = PoolTypes()[plan.pool];
    plan.type = catalog.Find(names[random() % names.size()]);
    if (plan.type == nullptr) std::abort();
    plan.zone = static_cast<int>(random() % kZones.size());
    plan.spot = plan.pool == 1 || (plan.pool == 0 && random() % 10 < 3);
    plan.recently_emptied = random() % 50 == 0;
    plan.alloc_cpu_milli = plan.type->allocatable().Get("cpu").MilliValue() - kDaemonCpuMilli;
    plan.alloc_memory_mi = (plan.type->allocatable().Get("memory").Value() >> 20) - kDaemonMemoryMi;
    plan.alloc_pods = plan.type->allocatable().Get("pods").Value() - 1;
    const int band = static_cast<int>(random() % 10);
    const int percent = band < 3   ? 75 + static_cast<int>(random() % 21)
                        : band < 7 ? 40 + static_cast<int>(random() % 31)
                                   : 10 + static_cast<int>(random() % 26);
    plan.budget_cpu_milli = plan.alloc_cpu_milli * percent / 100;
    plan.budget_memory_mi = plan.alloc_memory_mi * percent / 100;
    plans.push_back(plan);
  }
  return plans;
}

inline bool Allows(const NodePlan& node, const App& app, const std::vector<App>& apps,
                   bool within_budget) {
  if (node.recently_emptied) return false;
  if (app.kind == AppKind::kArm64 && node.pool != 1) return false;
  if (app.kind == AppKind::kOnDemand && node.spot) return false;
  const int64_t cpu_cap = within_budget ? node.budget_cpu_milli : node.alloc_cpu_milli;
  const int64_t memory_cap = within_budget ? node.budget_memory_mi : node.alloc_memory_mi;
  if (node.used_cpu_milli + app.cpu_milli > cpu_cap) return false;
  if (node.used_memory_mi + app.memory_mi > memory_cap) return false;
  if (node.used_pods + 1 > node.alloc_pods) return false;
  if (app.kind == AppKind::kAntiAffinity) {
    for (int other : node.apps) {
      if (apps[other].name == app.name) return false;
    }
  }
  return true;
}

// Places `shape.app_pods` pods of randomly chosen apps on random nodes (a spread app's in its
// least-used zone), recording each node's apps.
inline void PlacePods(const ClusterShape& shape, const std::vector<App>& apps,
                      std::vector<NodePlan>& nodes, std::mt19937& random) {
  std::array<std::vector<int>, 3> by_zone;
  for (size_t n = 0; n < nodes.size(); ++n) by_zone[nodes[n].zone].push_back(static_cast<int>(n));
  std::vector<std::array<int, 3>> zone_counts(apps.size(), {0, 0, 0});
  int placed = 0;
  for (int attempt = 0; placed < shape.app_pods && attempt < shape.app_pods * 4; ++attempt) {
    const int a = static_cast<int>(random() % apps.size());
    const App& app = apps[a];
    const std::vector<int>* pool = nullptr;
    if (app.kind == AppKind::kZonalSpread) {
      const auto& counts = zone_counts[a];
      const int zone =
          static_cast<int>(std::min_element(counts.begin(), counts.end()) - counts.begin());
      pool = &by_zone[zone];
    }
    int chosen = -1;
    for (int tries = 0; tries < 40 && chosen < 0; ++tries) {
      int n = pool ? (*pool)[random() % pool->size()] : static_cast<int>(random() % nodes.size());
      if (Allows(nodes[n], app, apps, true)) chosen = n;
    }
    if (chosen < 0) {
      const size_t count = pool ? pool->size() : nodes.size();
      const size_t start = random() % count;
      for (size_t i = 0; i < count && chosen < 0; ++i) {
        int n = pool ? (*pool)[(start + i) % count] : static_cast<int>((start + i) % count);
        if (Allows(nodes[n], app, apps, false)) chosen = n;
      }
    }
    if (chosen < 0) continue;
    NodePlan& node = nodes[chosen];
    node.used_cpu_milli += app.cpu_milli;
    node.used_memory_mi += app.memory_mi;
    ++node.used_pods;
    node.apps.push_back(a);
    ++zone_counts[a][node.zone];
    ++placed;
  }
}

}  // namespace cluster_internal
}  // namespace karpenter::bench
