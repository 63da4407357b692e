// The LP relaxation of the covering problem: exact optima on hand-computed cases, and agreement
// with brute-force enumeration of the dual's vertices on random programs.
#include "scheduling/lower_bound.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "catalog/instance_type.h"
#include "catalog/offering.h"
#include "core/quantity.h"
#include "core/requirements.h"

namespace karpenter::scheduling {
namespace {

constexpr double kTolerance = 1e-9;

CoveringColumn Column(double price, double cpu, double memory, double pods) {
  return {price, {cpu, memory, pods}};
}

TEST(SolveCoveringLp, NothingDemandedCostsNothing) {
  const std::vector<CoveringColumn> columns = {Column(1, 1, 1, 1)};
  CoveringSolution s = SolveCoveringLp(columns, {0, 0, 0});
  EXPECT_TRUE(s.feasible);
  EXPECT_EQ(s.cost, 0);
  EXPECT_TRUE(s.mix.empty());
  // Also without any type at all.
  s = SolveCoveringLp({}, {0, -1, 0});
  EXPECT_TRUE(s.feasible);
  EXPECT_EQ(s.cost, 0);
}

TEST(SolveCoveringLp, OneTypeIsBoughtFractionally) {
  // 10 cores on 4-core instances at 0.2/h: 2.5 instances, 0.5/h.
  const std::vector<CoveringColumn> columns = {Column(0.2, 4, 16, 58)};
  CoveringSolution s = SolveCoveringLp(columns, {10, 1, 5});
  ASSERT_TRUE(s.feasible);
  EXPECT_NEAR(s.cost, 0.5, kTolerance);
  ASSERT_EQ(s.mix.size(), 1u);
  EXPECT_EQ(s.mix[0].column, 0u);
  EXPECT_NEAR(s.mix[0].count, 2.5, kTolerance);
}

TEST(SolveCoveringLp, TheBindingResourceDecidesWhichTypeIsCheapest) {
  // cpu only: 0.17 per 4 cores beats 0.126 per 2 cores.
  const std::vector<CoveringColumn> columns = {Column(0.17, 4, 8, 100), Column(0.126, 2, 16, 100)};
  CoveringSolution s = SolveCoveringLp(columns, {8, 0, 0});
  ASSERT_TRUE(s.feasible);
  EXPECT_NEAR(s.cost, 0.34, kTolerance);
  ASSERT_EQ(s.mix.size(), 1u);
  EXPECT_EQ(s.mix[0].column, 0u);
  // memory only: 0.126 per 16 beats 0.17 per 8.
  s = SolveCoveringLp(columns, {0, 32, 0});
  ASSERT_TRUE(s.feasible);
  EXPECT_NEAR(s.cost, 0.252, kTolerance);
  ASSERT_EQ(s.mix.size(), 1u);
  EXPECT_EQ(s.mix[0].column, 1u);
}

TEST(SolveCoveringLp, TwoBindingResourcesMixTwoTypes) {
  // 4a + 2b >= 8 and 8a + 16b >= 32: the vertex a = b = 4/3 costs (0.17 + 0.126) * 4/3 =
  // 0.39466..., below the pure solutions a = 4 (0.68) and b = 4 (0.504).
  const std::vector<CoveringColumn> columns = {Column(0.17, 4, 8, 100), Column(0.126, 2, 16, 100)};
  CoveringSolution s = SolveCoveringLp(columns, {8, 32, 3});
  ASSERT_TRUE(s.feasible);
  EXPECT_NEAR(s.cost, 0.296 * 4 / 3, kTolerance);
  ASSERT_EQ(s.mix.size(), 2u);
  EXPECT_EQ(s.mix[0].column, 0u);
  EXPECT_NEAR(s.mix[0].count, 4.0 / 3, kTolerance);
  EXPECT_EQ(s.mix[1].column, 1u);
  EXPECT_NEAR(s.mix[1].count, 4.0 / 3, kTolerance);
}

TEST(SolveCoveringLp, TypesWithNoneOfAResourceStillCount) {
  // One type has only cpu, the other only memory (and pods): 3 x 1 + 5 x 2 = 13.
  const std::vector<CoveringColumn> columns = {Column(1, 1, 0, 0), Column(2, 0, 1, 10)};
  CoveringSolution s = SolveCoveringLp(columns, {3, 5, 2});
  ASSERT_TRUE(s.feasible);
  EXPECT_NEAR(s.cost, 13, kTolerance);
  ASSERT_EQ(s.mix.size(), 2u);
  EXPECT_NEAR(s.mix[0].count, 3, kTolerance);
  EXPECT_NEAR(s.mix[1].count, 5, kTolerance);
}

TEST(SolveCoveringLp, ThreeSpecialistsOrOneGeneralist) {
  // Three types each supplying one resource at 1/h, and a generalist supplying all three.
  std::vector<CoveringColumn> columns = {Column(1, 1, 0, 0), Column(1, 0, 1, 0), Column(1, 0, 0, 1),
                                         Column(2.5, 1, 1, 1)};
  CoveringSolution s = SolveCoveringLp(columns, {1, 1, 1});
  ASSERT_TRUE(s.feasible);
  EXPECT_NEAR(s.cost, 2.5, kTolerance);
  ASSERT_EQ(s.mix.size(), 1u);
  EXPECT_EQ(s.mix[0].column, 3u);
  columns[3].price = 3.5;
  s = SolveCoveringLp(columns, {1, 1, 1});
  ASSERT_TRUE(s.feasible);
  EXPECT_NEAR(s.cost, 3, kTolerance);
  ASSERT_EQ(s.mix.size(), 3u);
  EXPECT_EQ(s.mix[0].column, 0u);
  EXPECT_EQ(s.mix[1].column, 1u);
  EXPECT_EQ(s.mix[2].column, 2u);
}

TEST(SolveCoveringLp, UnsuppliedResourceIsInfeasible) {
  const std::vector<CoveringColumn> columns = {Column(1, 4, 8, 0)};
  CoveringSolution s = SolveCoveringLp(columns, {1, 1, 1});
  EXPECT_FALSE(s.feasible);
  EXPECT_TRUE(s.mix.empty());
  // No columns at all.
  EXPECT_FALSE(SolveCoveringLp({}, {1, 0, 0}).feasible);
}

TEST(SolveCoveringLp, InvalidColumnsAreIgnored) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<CoveringColumn> columns = {Column(-1, 100, 100, 100), Column(nan, 100, 100, 100),
                                               Column(0.1, -5, 1, 1), Column(1, 2, 2, 2)};
  CoveringSolution s = SolveCoveringLp(columns, {4, 1, 1});
  ASSERT_TRUE(s.feasible);
  EXPECT_NEAR(s.cost, 2, kTolerance);
  ASSERT_EQ(s.mix.size(), 1u);
  EXPECT_EQ(s.mix[0].column, 3u);  // indices refer to the columns as given
}

TEST(SolveCoveringLp, IdenticalTypesPreferTheFirst) {
  const std::vector<CoveringColumn> columns = {Column(1, 2, 2, 2), Column(1, 2, 2, 2),
                                               Column(1, 2, 2, 2)};
  CoveringSolution s = SolveCoveringLp(columns, {4, 4, 4});
  ASSERT_TRUE(s.feasible);
  EXPECT_NEAR(s.cost, 2, kTolerance);
  ASSERT_EQ(s.mix.size(), 1u);
  EXPECT_EQ(s.mix[0].column, 0u);
  EXPECT_NEAR(s.mix[0].count, 2, kTolerance);
}

TEST(SolveCoveringLp, FreeTypeMakesTheBoundZero) {
  const std::vector<CoveringColumn> columns = {Column(1, 2, 2, 2), Column(0, 1, 1, 1)};
  CoveringSolution s = SolveCoveringLp(columns, {4, 4, 4});
  ASSERT_TRUE(s.feasible);
  EXPECT_EQ(s.cost, 0);
}

TEST(SolveCoveringLp, RealisticUnitsStayAccurate) {
  // cores, bytes and pods differ by nine orders of magnitude; rows are scaled internally.
  const double gib = 1024.0 * 1024 * 1024;
  const std::vector<CoveringColumn> columns = {Column(0.096, 1.93, 7.1 * gib, 29),   // m5.large-ish
                                               Column(0.085, 1.93, 3.1 * gib, 29),   // c5.large-ish
                                               Column(0.126, 1.93, 15.1 * gib, 29)};  // r5.large-ish
  // 5 cores, 2.5Gi, 5 pods: cpu binds; the c-type's 0.085 per 1.93 cores is the cheapest cpu.
  CoveringSolution s = SolveCoveringLp(columns, {5, 2.5 * gib, 5});
  ASSERT_TRUE(s.feasible);
  EXPECT_NEAR(s.cost, 0.085 * 5 / 1.93, kTolerance);
  ASSERT_EQ(s.mix.size(), 1u);
  EXPECT_EQ(s.mix[0].column, 1u);
}

// The dual (max d.y subject to supply_t . y <= price_t, y >= 0) attains its optimum at a vertex:
// three of its n + 3 constraints tight. Enumerating every triple gives the LP optimum.
double BruteForceOptimum(const std::vector<CoveringColumn>& columns, const ResourceVector& demand) {
  std::vector<std::pair<ResourceVector, double>> rows;  // a . y <= b
  for (const CoveringColumn& c : columns) rows.push_back({c.supply, c.price});
  for (int r = 0; r < 3; ++r) {
    ResourceVector a{};
    a[r] = -1;
    rows.push_back({a, 0});
  }
  double best = -1;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t j = i + 1; j < rows.size(); ++j) {
      for (std::size_t k = j + 1; k < rows.size(); ++k) {
        const auto& [a, ab] = rows[i];
        const auto& [b, bb] = rows[j];
        const auto& [c, cb] = rows[k];
        auto det = [](const ResourceVector& x, const ResourceVector& y, const ResourceVector& z) {
          return x[0] * (y[1] * z[2] - y[2] * z[1]) - x[1] * (y[0] * z[2] - y[2] * z[0]) +
                 x[2] * (y[0] * z[1] - y[1] * z[0]);
        };
        const double d = det(a, b, c);
        if (std::abs(d) < 1e-9) continue;
        // Cramer's rule on the rows [a; b; c] y = [ab; bb; cb].
        ResourceVector y{};
        for (int col = 0; col < 3; ++col) {
          ResourceVector ra = a, rb = b, rc = c;
          ra[col] = ab;
          rb[col] = bb;
          rc[col] = cb;
          y[col] = det(ra, rb, rc) / d;
        }
        bool feasible = true;
        for (const auto& [row, bound] : rows) {
          if (row[0] * y[0] + row[1] * y[1] + row[2] * y[2] > bound + 1e-9) feasible = false;
        }
        if (feasible) best = std::max(best, demand[0] * y[0] + demand[1] * y[1] + demand[2] * y[2]);
      }
    }
  }
  return best;
}

TEST(SolveCoveringLp, MatchesBruteForceOnRandomPrograms) {
  std::mt19937 random(42);
  std::uniform_int_distribution<int> small(0, 8);
  std::uniform_int_distribution<int> count(1, 9);
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<CoveringColumn> columns;
    const int n = count(random);
    for (int t = 0; t < n; ++t) {
      // Small integers give many ties and degenerate vertices on purpose.
      columns.push_back(Column(1 + small(random), small(random), small(random), small(random)));
    }
    const ResourceVector demand = {double(small(random)) + 1, double(small(random)),
                                   double(small(random)) + 1};
    CoveringSolution s = SolveCoveringLp(columns, demand);
    bool coverable = true;
    for (int r = 0; r < 3; ++r) {
      bool any = false;
      for (const CoveringColumn& c : columns) any = any || c.supply[r] > 0;
      if (demand[r] > 0 && !any) coverable = false;
    }
    ASSERT_EQ(s.feasible, coverable) << "trial " << trial;
    if (!coverable) continue;
    EXPECT_NEAR(s.cost, BruteForceOptimum(columns, demand), 1e-7) << "trial " << trial;
    // The mix is a basic solution: at most three types, covering the demand at its cost.
    ASSERT_LE(s.mix.size(), 3u);
    ResourceVector covered{};
    double cost = 0;
    for (const CoveringTerm& term : s.mix) {
      for (int r = 0; r < 3; ++r) covered[r] += term.count * columns[term.column].supply[r];
      cost += term.count * columns[term.column].price;
    }
    for (int r = 0; r < 3; ++r) EXPECT_GE(covered[r], demand[r] - 1e-7) << "trial " << trial;
    EXPECT_NEAR(cost, s.cost, 1e-7) << "trial " << trial;
  }
}

catalog::InstanceType Type(const std::string& name, int cpu, int memory_gi, int pods,
                           std::vector<catalog::Offering> offerings) {
  core::ResourceList capacity = {
      {core::kCPU, core::Quantity::FromInt(cpu)},
      {core::kMemory, core::Quantity::FromInt(int64_t{memory_gi} << 30, core::Format::kBinarySI)},
      {core::kPods, core::Quantity::FromInt(pods)}};
  return catalog::InstanceType::WithRequirements(name, capacity, catalog::Overhead{},
                                                 core::Requirements{}, std::move(offerings));
}

catalog::Offering Offer(const std::string& zone, catalog::CapacityType type, double price,
                        bool available = true) {
  return {zone, type, price, catalog::PriceSource::kCustom, available};
}

TEST(ComputeCostLowerBound, PricesEachTypeAtItsCheapestAvailableOffering) {
  using catalog::CapacityType;
  const catalog::InstanceType small =
      Type("small", 2, 4, 10,
           {Offer("a", CapacityType::kOnDemand, 0.1), Offer("a", CapacityType::kSpot, 0.01, false),
            Offer("b", CapacityType::kSpot, 0.04)});
  const catalog::InstanceType big = Type("big", 8, 32, 10, {Offer("a", CapacityType::kOnDemand, 0.5)});
  const catalog::InstanceType unavailable =
      Type("free", 100, 100, 100, {Offer("a", CapacityType::kSpot, 0.0, false)});
  const std::vector<const catalog::InstanceType*> types = {&big, &small, nullptr, &unavailable,
                                                           &small};
  const core::ResourceList requests = {
      {core::kCPU, core::Quantity::FromInt(5)},
      {core::kMemory, core::Quantity::FromInt(int64_t{1} << 30, core::Format::kBinarySI)},
      {core::kPods, core::Quantity::FromInt(5)}};
  // small at 0.04 per 2 cores (0.02/core) beats big at 0.5 per 8 (0.0625/core): 2.5 x 0.04.
  CostLowerBound bound = ComputeCostLowerBound(types, requests);
  ASSERT_TRUE(bound.feasible);
  EXPECT_NEAR(bound.cost_per_hour, 0.1, kTolerance);
  ASSERT_EQ(bound.mix.size(), 1u);
  EXPECT_EQ(bound.mix[0].instance_type, &small);
  EXPECT_NEAR(bound.mix[0].count, 2.5, kTolerance);
}

TEST(ComputeCostLowerBound, OnlyOfferingsTheRequirementsAllowArePriced) {
  using catalog::CapacityType;
  const catalog::InstanceType small =
      Type("small", 2, 4, 10,
           {Offer("a", CapacityType::kOnDemand, 0.1), Offer("b", CapacityType::kSpot, 0.04),
            Offer("c", CapacityType::kOnDemand, 0.08)});
  const catalog::InstanceType spot_only = Type("spot-only", 2, 4, 10, {Offer("a", CapacityType::kSpot, 0.01)});
  const std::vector<const catalog::InstanceType*> types = {&small, &spot_only};
  const core::ResourceList requests = {{core::kCPU, core::Quantity::FromInt(4)}};
  const core::Requirement on_demand = core::Requirement::In("karpenter.sh/capacity-type", {"on-demand"});
  // Any zone, on-demand only: small at 0.08 in zone c, twice; spot-only cannot be bought.
  CostLowerBound bound = ComputeCostLowerBound(
      types, requests, core::Requirement::Exists("topology.kubernetes.io/zone"), on_demand);
  ASSERT_TRUE(bound.feasible);
  EXPECT_NEAR(bound.cost_per_hour, 0.16, kTolerance);
  ASSERT_EQ(bound.mix.size(), 1u);
  EXPECT_EQ(bound.mix[0].instance_type, &small);
  // Zone a only: 0.1 each.
  bound = ComputeCostLowerBound(types, requests,
                                core::Requirement::In("topology.kubernetes.io/zone", {"a"}), on_demand);
  ASSERT_TRUE(bound.feasible);
  EXPECT_NEAR(bound.cost_per_hour, 0.2, kTolerance);
  // Without restrictions spot-only at 0.01 wins.
  bound = ComputeCostLowerBound(types, requests);
  EXPECT_NEAR(bound.cost_per_hour, 0.02, kTolerance);
  // Nothing allowed: no bound.
  EXPECT_FALSE(ComputeCostLowerBound(types, requests,
                                     core::Requirement::In("topology.kubernetes.io/zone", {"z"}),
                                     on_demand)
                   .feasible);
}

TEST(ComputeCostLowerBound, UsesAllocatableNotCapacity) {
  catalog::Overhead overhead;
  overhead.kube_reserved = {{core::kCPU, core::Quantity::FromInt(1)}};
  const catalog::InstanceType type = catalog::InstanceType::WithRequirements(
      "t", {{core::kCPU, core::Quantity::FromInt(3)}, {core::kPods, core::Quantity::FromInt(10)}},
      overhead, core::Requirements{}, {Offer("a", catalog::CapacityType::kOnDemand, 1.0)});
  const std::vector<const catalog::InstanceType*> types = {&type};
  CostLowerBound bound =
      ComputeCostLowerBound(types, {{core::kCPU, core::Quantity::FromMilli(3000)}});
  ASSERT_TRUE(bound.feasible);
  EXPECT_NEAR(bound.cost_per_hour, 1.5, kTolerance);  // 2 allocatable cores per instance
}

TEST(ComputeCostLowerBound, NoTypesSupplyingARequestMeansNoBound) {
  const catalog::InstanceType type =
      Type("t", 2, 4, 10, {Offer("a", catalog::CapacityType::kOnDemand, 0.1)});
  const std::vector<const catalog::InstanceType*> types = {&type};
  EXPECT_FALSE(ComputeCostLowerBound({}, {{core::kCPU, core::Quantity::FromInt(1)}}).feasible);
  // A type without pods (allocatable pods 0) cannot host any pod.
  const catalog::InstanceType podless =
      Type("podless", 2, 4, 0, {Offer("a", catalog::CapacityType::kOnDemand, 0.1)});
  const std::vector<const catalog::InstanceType*> podless_only = {&podless};
  EXPECT_FALSE(ComputeCostLowerBound(podless_only, {{core::kPods, core::Quantity::FromInt(1)}})
                   .feasible);
  CostLowerBound zero = ComputeCostLowerBound(types, {});
  EXPECT_TRUE(zero.feasible);
  EXPECT_EQ(zero.cost_per_hour, 0);
}

}  // namespace
}  // namespace karpenter::scheduling
