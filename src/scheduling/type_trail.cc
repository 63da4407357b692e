#include "scheduling/type_trail.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "catalog/labels.h"

namespace karpenter::scheduling {
namespace {

constexpr size_t kExamples = 3;
constexpr size_t kCheapest = 5;

// "amd64", "c5, c6i, m5 and 12 other values", "no such label".
std::string ValuesText(const std::set<std::string>& values) {
  if (values.empty()) return "no such label";
  std::string out;
  size_t shown = 0;
  for (const std::string& value : values) {
    if (shown == kExamples) break;
    out += (shown++ ? ", " : "") + value;
  }
  if (values.size() > kExamples) {
    out += " and " + std::to_string(values.size() - kExamples) + " other values";
  }
  return out;
}

// The types sorted by the first check each fails.
struct Sorted {
  // By requirement key: the types failing it, and the values they have for the key.
  std::map<std::string, std::pair<std::vector<TypeIndex>, std::set<std::string>>> by_key;
  std::vector<TypeIndex> unoffered;
  std::map<size_t, std::vector<TypeIndex>> short_of;  // by resource index
  std::vector<TypeIndex> kept;
};

Sorted Sort(PoolTypes& types, const std::vector<TypeIndex>& options,
            const core::Requirements& requirements, const Dense& requests,
            const core::Requirement& zone, const core::Requirement& capacity_type) {
  Sorted sorted;
  for (TypeIndex i : options) {
    auto failed = std::find_if(requirements.begin(), requirements.end(), [&](const auto& entry) {
      return types.Defines(entry.first) && !types.Meets(i, entry.second);
    });
    if (failed != requirements.end()) {
      auto& [members, values] = sorted.by_key[failed->first];
      members.push_back(i);
      std::optional<core::Requirement> own = types.at(i).type->RequirementFor(failed->first);
      if (own && !own->complement()) {
        for (const std::string& value : own->Values()) values.insert(value);
      }
      continue;
    }
    if (!types.Offered(i, zone, capacity_type)) {
      sorted.unoffered.push_back(i);
      continue;
    }
    const Dense& allocatable = types.at(i).allocatable;
    const Dense& overhead = types.overhead_of(i);
    if (FitsSum(requests, overhead, allocatable)) {
      sorted.kept.push_back(i);
      continue;
    }
    for (size_t r = 0; r < requests.size(); ++r) {
      if (allocatable[r] < 0 || requests[r] + overhead[r] > allocatable[r]) {
        sorted.short_of[r].push_back(i);
        break;
      }
    }
  }
  return sorted;
}

}  // namespace

void Grouper::Add(int rank, const std::string& reason, const std::string& name) {
  auto [it, inserted] = index_.try_emplace(reason, groups_.size());
  if (inserted) groups_.push_back({rank, {reason, 0, {}}});
  EliminationGroup& group = groups_[it->second].second;
  ++group.count;
  if (group.examples.size() < kExamples) group.examples.push_back(name);
}

std::vector<EliminationGroup> Grouper::Take() {
  std::stable_sort(groups_.begin(), groups_.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    if (a.second.count != b.second.count) return a.second.count > b.second.count;
    return a.second.reason < b.second.reason;
  });
  std::vector<EliminationGroup> out;
  for (auto& [rank, group] : groups_) out.push_back(std::move(group));
  groups_.clear();
  index_.clear();
  return out;
}

void ExplainTypes(PoolTypes& types, const std::vector<TypeIndex>& options,
                  const core::Requirements& requirements, const Dense& requests,
                  const ResourceIndex& resources, NodePoolCheck& out) {
  const core::Requirement zone = requirements.Get(catalog::kLabelZone);
  const core::Requirement capacity_type = requirements.Get(catalog::kLabelCapacityType);
  Sorted sorted = Sort(types, options, requirements, requests, zone, capacity_type);
  Grouper grouper;
  auto name = [&types](TypeIndex i) -> const std::string& { return types.at(i).type->name(); };
  int rank = 0;
  for (const auto& [key, entry] : sorted.by_key) {
    const auto& [members, values] = entry;
    std::string reason = "\"" + requirements.Get(key).ToString() + "\" not met (they have " +
                         ValuesText(values) + ")";
    for (TypeIndex i : members) grouper.Add(rank, reason, name(i));
    ++rank;
  }
  std::string scope;  // the zones and capacity types the claim narrowed down, if any
  for (std::string_view key : {catalog::kLabelZone, catalog::kLabelCapacityType}) {
    if (requirements.Has(key)) {
      scope += (scope.empty() ? " in " : " and ") + requirements.Get(key).ToString();
    }
  }
  for (TypeIndex i : sorted.unoffered) grouper.Add(rank, "no available offering" + scope, name(i));
  ++rank;
  for (const auto& [r, members] : sorted.short_of) {
    const std::string& resource = resources.name(r);
    core::Int128 largest = 0;
    for (TypeIndex i : members) {
      largest = std::max(largest, types.at(i).allocatable[r] - types.overhead_of(i)[r]);
    }
    std::string reason = resource + " " + FormatAmount(resource, requests[r]) +
                         " > allocatable (largest among them " +
                         FormatAmount(resource, std::max<core::Int128>(largest, 0)) + ")";
    for (TypeIndex i : members) grouper.Add(rank, reason, name(i));
  }
  ++rank;
  std::vector<TypeIndex>& kept = sorted.kept;
  if (!kept.empty()) {
    if (std::string failed = types.CheckMinValues(kept, requirements); !failed.empty()) {
      for (TypeIndex i : kept) grouper.Add(rank, failed, name(i));
      kept.clear();
    }
  }
  for (EliminationGroup& group : grouper.Take()) out.eliminated.push_back(std::move(group));
  out.remaining = kept.size();
  // The cheapest left, in the order NodeClaim options are ranked.
  std::set<TypeIndex> left(kept.begin(), kept.end());
  for (TypeIndex i : types.Offerings(zone, capacity_type).order) {
    if (out.cheapest.size() == kCheapest) break;
    if (left.contains(i)) out.cheapest.push_back(name(i));
  }
}

}  // namespace karpenter::scheduling
