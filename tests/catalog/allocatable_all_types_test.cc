// Allocatable of every instance type in every built-in region, checked against a deliberately
// plain recomputation from the data file's raw columns (integer arithmetic only, no catalog
// code), with the default settings: AL2023, 20Gi root volume, no kubelet overrides.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "catalog/aws_catalog.h"
#include "test_catalogs.h"

namespace karpenter::catalog {
namespace {

constexpr int64_t kMi = 1024 * 1024;
constexpr int64_t kGi = 1024 * kMi;

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

// Data rows of a data/aws/ file, split at tabs.
std::vector<std::vector<std::string>> ReadRows(const std::string& file) {
  // append, not operator+: GCC 12 -O2 warns falsely (-Warray-bounds) on string(literal) + "...".
  std::ifstream in(std::string(KARPENTER_SOURCE_DIR).append("/data/aws/").append(file));
  EXPECT_TRUE(in.good()) << file;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("name\t", 0) == 0) continue;
    rows.push_back(Split(line, '\t'));
  }
  return rows;
}

struct Expected {
  int64_t cpu_milli;
  int64_t memory_bytes;
  int64_t pods;
  int64_t ephemeral_bytes;
};

Expected Recompute(const std::vector<std::string>& row) {
  int64_t vcpus = std::stoll(row[1]);
  int64_t mib = std::stoll(row[2]);
  if (Split(row[3], ',')[0] == "arm64") mib -= 64;
  int64_t enis = std::stoll(row[9]);
  int64_t ipv4 = std::stoll(row[10]);
  int64_t pods = enis > 0 ? enis * (ipv4 - 1) + 2 : 0;
  int64_t vm_overhead_mib = (mib * 75 + 999) / 1000;  // ceil(7.5%)
  int64_t reserved_cpu = 60;                          // 6% of the first core
  if (vcpus >= 2) reserved_cpu += 10;                 // 1% of the second
  reserved_cpu += 5 * std::min<int64_t>(std::max<int64_t>(vcpus - 2, 0), 2);  // 0.5% of 3-4
  reserved_cpu += std::max<int64_t>(vcpus - 4, 0) * 1000 / 400;               // 0.25% of the rest
  int64_t reserved_memory_mib = 11 * pods + 255;
  int64_t eviction_memory_mib = 100;
  int64_t root = 20 * kGi;
  return {vcpus * 1000 - reserved_cpu,
          (mib - vm_overhead_mib - reserved_memory_mib - eviction_memory_mib) * kMi, pods,
          root - kGi - (root + 9) / 10};
}

bool SupportedByKarpenter(const std::vector<std::string>& row) {
  std::vector<std::string> arch = Split(row[3], ',');
  std::vector<std::string> virt = Split(row[4], ',');
  bool hvm = std::find(virt.begin(), virt.end(), "hvm") != virt.end();
  bool known = std::find(arch.begin(), arch.end(), "x86_64") != arch.end() ||
               std::find(arch.begin(), arch.end(), "arm64") != arch.end();
  return hvm && known;
}

TEST(AllocatableAllTypesTest, EveryTypeInEveryRegionMatchesPlainFormula) {
  std::map<std::string, std::vector<std::string>> raw;
  for (auto& row : ReadRows("instance-types.tsv")) {
    ASSERT_EQ(row.size(), 22u) << row[0];
    raw[row[0]] = row;
  }
  ASSERT_EQ(raw.size(), 1263u);
  size_t checked = 0;
  for (const std::string& region : AwsRegions()) {
    std::set<std::string> expected_names;
    for (const auto& row : ReadRows("offerings-" + region + ".tsv")) {
      if (SupportedByKarpenter(raw.at(row[0]))) expected_names.insert(row[0]);
    }
    const Catalog& catalog = testing::DefaultCatalog(region);
    std::set<std::string> names;
    for (const InstanceType& type : catalog.types()) {
      names.insert(type.name());
      Expected expected = Recompute(raw.at(type.name()));
      const core::ResourceList& allocatable = type.allocatable();
      SCOPED_TRACE(region + " " + type.name());
      EXPECT_EQ(allocatable.Get(core::kCPU).MilliValue(), expected.cpu_milli);
      EXPECT_EQ(allocatable.Get(core::kMemory).Value(), expected.memory_bytes);
      EXPECT_EQ(allocatable.Get(core::kPods).Value(), expected.pods);
      EXPECT_EQ(allocatable.Get(core::kEphemeralStorage).Value(), expected.ephemeral_bytes);
      ++checked;
    }
    EXPECT_EQ(names, expected_names) << region;
  }
  EXPECT_EQ(checked, 4979u);  // every supported type-region pair (Mac instances are not)
}

}  // namespace
}  // namespace karpenter::catalog
