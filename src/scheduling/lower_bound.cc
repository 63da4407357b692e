#include "scheduling/lower_bound.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_set>

#include "catalog/offering.h"

namespace karpenter::scheduling {
namespace {

// Rows are scaled so every demand is 1, which keeps cores, bytes and pod counts comparable.
// A basic variable below -kFeasibilityTolerance is primal infeasible; a tableau entry of
// magnitude below kPivotTolerance is treated as zero.
constexpr double kFeasibilityTolerance = 1e-9;
constexpr double kPivotTolerance = 1e-12;

bool ValidColumn(const CoveringColumn& column) {
  if (!std::isfinite(column.price) || column.price < 0) return false;
  return std::all_of(column.supply.begin(), column.supply.end(),
                     [](double v) { return std::isfinite(v) && v >= 0; });
}

// The dual simplex on min c.x, A x >= 1 (rows pre-scaled), x >= 0, written as
// -A x + s = -1 with surplus variables s as the starting basis. Reduced costs start at the
// prices (>= 0), so the basis is dual feasible from the start; each pivot keeps it so and
// drives one infeasible (negative) basic variable out, until all are >= 0 (optimal) or a
// row has no entering candidate (the demand cannot be covered).
class DualSimplex {
 public:
  DualSimplex(const std::vector<CoveringColumn>& columns, const std::vector<std::size_t>& rows,
              const ResourceVector& demand)
      : m_(rows.size()), n_(columns.size()), width_(n_ + m_) {
    tableau_.assign(m_ * width_, 0.0);
    rhs_.assign(m_, -1.0);
    reduced_.assign(width_, 0.0);
    basis_.resize(m_);
    for (std::size_t j = 0; j < n_; ++j) {
      reduced_[j] = columns[j].price;
      for (std::size_t i = 0; i < m_; ++i) {
        At(i, j) = -columns[j].supply[rows[i]] / demand[rows[i]];
      }
    }
    for (std::size_t i = 0; i < m_; ++i) {
      At(i, n_ + i) = 1.0;
      basis_[i] = n_ + i;
    }
  }

  // Runs to optimality; false when the program is infeasible.
  bool Solve() {
    // Bland's rule terminates in exact arithmetic; the cap only guards against floating-point
    // cycling. Stopping early still leaves a dual feasible basis, whose objective is a valid
    // (if weaker) lower bound by weak duality.
    const std::size_t max_pivots = 64 * (width_ + 1);
    for (std::size_t pivots = 0; pivots < max_pivots; ++pivots) {
      const std::size_t r = LeavingRow();
      if (r == m_) return true;
      const std::size_t q = EnteringColumn(r);
      if (q == width_) return false;
      Pivot(r, q);
    }
    return true;
  }

  // The cost of the current basic solution (the optimum once Solve returned true).
  double Objective(const std::vector<CoveringColumn>& columns) const {
    double cost = 0;
    for (std::size_t i = 0; i < m_; ++i) {
      if (basis_[i] < n_) cost += columns[basis_[i]].price * rhs_[i];
    }
    return std::max(cost, 0.0);
  }
  // The basic structural variables with a positive value.
  std::vector<CoveringTerm> Mix() const {
    std::vector<CoveringTerm> mix;
    for (std::size_t i = 0; i < m_; ++i) {
      if (basis_[i] < n_ && rhs_[i] > kFeasibilityTolerance) {
        mix.push_back({basis_[i], rhs_[i]});
      }
    }
    std::sort(mix.begin(), mix.end(),
              [](const CoveringTerm& a, const CoveringTerm& b) { return a.column < b.column; });
    return mix;
  }

 private:
  double& At(std::size_t i, std::size_t j) { return tableau_[i * width_ + j]; }
  double At(std::size_t i, std::size_t j) const { return tableau_[i * width_ + j]; }

  // The infeasible row whose basic variable has the lowest index (Bland), or m_ when none.
  std::size_t LeavingRow() const {
    std::size_t best = m_;
    for (std::size_t i = 0; i < m_; ++i) {
      if (rhs_[i] < -kFeasibilityTolerance && (best == m_ || basis_[i] < basis_[best])) best = i;
    }
    return best;
  }

  // The column with a negative entry in row r minimising reduced cost / |entry|, lowest index
  // on ties; width_ when there is none.
  std::size_t EnteringColumn(std::size_t r) const {
    std::size_t best = width_;
    double best_ratio = 0;
    for (std::size_t j = 0; j < width_; ++j) {
      const double entry = At(r, j);
      if (entry >= -kPivotTolerance) continue;
      const double ratio = std::max(reduced_[j], 0.0) / -entry;
      if (best == width_ || ratio < best_ratio * (1 - 1e-12) - 1e-15) {
        best = j;
        best_ratio = ratio;
      }
    }
    return best;
  }

  void Pivot(std::size_t r, std::size_t q) {
    const double pivot = At(r, q);
    for (std::size_t j = 0; j < width_; ++j) At(r, j) /= pivot;
    rhs_[r] /= pivot;
    At(r, q) = 1.0;
    for (std::size_t i = 0; i < m_; ++i) {
      if (i == r) continue;
      const double factor = At(i, q);
      if (factor == 0) continue;
      for (std::size_t j = 0; j < width_; ++j) At(i, j) -= factor * At(r, j);
      rhs_[i] -= factor * rhs_[r];
      At(i, q) = 0.0;
    }
    const double factor = reduced_[q];
    for (std::size_t j = 0; j < width_; ++j) reduced_[j] -= factor * At(r, j);
    reduced_[q] = 0.0;
    basis_[r] = q;
  }

  std::size_t m_, n_, width_;
  std::vector<double> tableau_;  // m_ x width_, row-major
  std::vector<double> rhs_;      // values of the basic variables
  std::vector<double> reduced_;  // reduced costs, >= 0 throughout (dual feasibility)
  std::vector<std::size_t> basis_;
};

double Units(const core::Quantity& quantity) {
  return static_cast<double>(quantity.Nano()) / static_cast<double>(core::Quantity::kNanoPerUnit);
}

}  // namespace

CoveringSolution SolveCoveringLp(std::span<const CoveringColumn> columns,
                                 const ResourceVector& demand) {
  std::vector<std::size_t> rows;  // resources actually demanded
  for (std::size_t r = 0; r < kLowerBoundResources; ++r) {
    if (std::isfinite(demand[r]) && demand[r] > 0) rows.push_back(r);
  }
  std::vector<CoveringColumn> valid;
  std::vector<std::size_t> original;  // valid index -> index in `columns`
  for (std::size_t j = 0; j < columns.size(); ++j) {
    if (!ValidColumn(columns[j])) continue;
    valid.push_back(columns[j]);
    original.push_back(j);
  }
  CoveringSolution solution;
  if (rows.empty()) {
    solution.feasible = true;
    return solution;
  }
  for (std::size_t r : rows) {
    const bool supplied = std::any_of(valid.begin(), valid.end(),
                                      [r](const CoveringColumn& c) { return c.supply[r] > 0; });
    if (!supplied) return solution;
  }
  DualSimplex simplex(valid, rows, demand);
  if (!simplex.Solve()) return solution;
  solution.feasible = true;
  solution.cost = simplex.Objective(valid);
  solution.mix = simplex.Mix();
  for (CoveringTerm& term : solution.mix) term.column = original[term.column];
  return solution;
}

ResourceVector ToResourceVector(const core::ResourceList& resources) {
  return {Units(resources.Get(core::kCPU)), Units(resources.Get(core::kMemory)),
          Units(resources.Get(core::kPods))};
}

namespace {

// The bound with each type priced by `price_of` (nullopt: the type cannot be bought).
template <typename PriceOf>
CostLowerBound LowerBoundWith(std::span<const catalog::InstanceType* const> types,
                              const core::ResourceList& requests, PriceOf price_of) {
  std::vector<const catalog::InstanceType*> used;
  std::vector<CoveringColumn> columns;
  std::unordered_set<const catalog::InstanceType*> seen;
  for (const catalog::InstanceType* type : types) {
    if (type == nullptr || !seen.insert(type).second) continue;
    const std::optional<double> price = price_of(*type);
    if (!price) continue;
    used.push_back(type);
    columns.push_back({*price, ToResourceVector(type->allocatable())});
  }
  const CoveringSolution solution = SolveCoveringLp(columns, ToResourceVector(requests));
  CostLowerBound bound;
  bound.feasible = solution.feasible;
  bound.cost_per_hour = solution.cost;
  for (const CoveringTerm& term : solution.mix) {
    bound.mix.push_back({used[term.column], term.count});
  }
  return bound;
}

}  // namespace

CostLowerBound ComputeCostLowerBound(std::span<const catalog::InstanceType* const> types,
                                     const core::ResourceList& requests) {
  return LowerBoundWith(types, requests,
                        [](const catalog::InstanceType& type) -> std::optional<double> {
                          const catalog::Offering* offering = type.CheapestAvailableOffering();
                          if (offering == nullptr) return std::nullopt;
                          return offering->price;
                        });
}

CostLowerBound ComputeCostLowerBound(std::span<const catalog::InstanceType* const> types,
                                     const core::ResourceList& requests,
                                     const core::Requirement& zone,
                                     const core::Requirement& capacity_type) {
  return LowerBoundWith(
      types, requests, [&](const catalog::InstanceType& type) -> std::optional<double> {
        std::optional<double> cheapest;
        for (const catalog::Offering& offering : type.offerings()) {
          if (!offering.available || !zone.Has(offering.zone) ||
              !capacity_type.Has(catalog::ToString(offering.capacity_type))) {
            continue;
          }
          if (!cheapest || offering.price < *cheapest) cheapest = offering.price;
        }
        return cheapest;
      });
}

}  // namespace karpenter::scheduling
