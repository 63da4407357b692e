// ResourceList: lookup, sums, differences, fit checks and maxima, with upstream Karpenter's
// semantics from pkg/utils/resources.
#include "core/resource_list.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace karpenter::core {
namespace {

Quantity Q(std::string_view text) {
  Result<Quantity> parsed = Quantity::Parse(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value_or(Quantity());
}

ResourceList R(std::initializer_list<std::pair<std::string_view, std::string_view>> entries) {
  Result<ResourceList> list = ResourceList::Parse(entries);
  EXPECT_TRUE(list.has_value()) << (list ? "" : list.error().message);
  return list.value_or(ResourceList());
}

TEST(ResourceList, WellKnownNames) {
  EXPECT_EQ(kCPU, "cpu");
  EXPECT_EQ(kMemory, "memory");
  EXPECT_EQ(kPods, "pods");
  EXPECT_EQ(kEphemeralStorage, "ephemeral-storage");
}

TEST(ResourceList, KeepsEntriesSortedAndUniqueByName) {
  const ResourceList list = {{kMemory, Q("1Gi")},
                             {"nvidia.com/gpu", Q("1")},
                             {kCPU, Q("1")},
                             {kCPU, Q("2")},
                             {kEphemeralStorage, Q("20Gi")}};
  EXPECT_EQ(list.size(), 4u);
  std::vector<std::string> names;
  for (const auto& [name, quantity] : list) names.push_back(name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"cpu", "ephemeral-storage", "memory", "nvidia.com/gpu"}));
  EXPECT_EQ(list.ToString(), "{cpu: 2, ephemeral-storage: 20Gi, memory: 1Gi, nvidia.com/gpu: 1}");
}

TEST(ResourceList, GetFindContains) {
  const ResourceList list = R({{"cpu", "1500m"}, {"memory", "1Gi"}});
  EXPECT_EQ(list.Get(kCPU).ToString(), "1500m");
  EXPECT_EQ(list.Get(kMemory).ToString(), "1Gi");
  EXPECT_TRUE(list.Get(kPods).IsZero());
  EXPECT_EQ(list.Get(kPods).format(), Format::kDecimalSI);
  ASSERT_NE(list.Find(kCPU), nullptr);
  EXPECT_EQ(*list.Find(kCPU), Q("1.5"));
  EXPECT_EQ(list.Find(kPods), nullptr);
  EXPECT_EQ(list.Find("cp"), nullptr);
  EXPECT_EQ(list.Find("cpuu"), nullptr);
  EXPECT_TRUE(list.Contains(kMemory));
  EXPECT_FALSE(list.Contains(kEphemeralStorage));
}

TEST(ResourceList, SetReplacesAndEraseRemoves) {
  ResourceList list;
  EXPECT_TRUE(list.empty());
  list.Set(kPods, Q("110"));
  list.Set(kCPU, Q("4"));
  list.Set(kPods, Q("58"));
  EXPECT_EQ(list.ToString(), "{cpu: 4, pods: 58}");
  EXPECT_TRUE(list.Erase(kCPU));
  EXPECT_FALSE(list.Erase(kCPU));
  EXPECT_FALSE(list.Erase(kMemory));
  EXPECT_EQ(list.ToString(), "{pods: 58}");
  EXPECT_TRUE(list.Erase(kPods));
  EXPECT_EQ(list.ToString(), "{}");
}

TEST(ResourceList, ParseNamesTheResourceInErrors) {
  Result<ResourceList> bad = ResourceList::Parse({{"cpu", "1"}, {"memory", "1GB"}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message.rfind(
                "resource \"memory\": invalid quantity \"1GB\": unexpected 'B' at offset 2;", 0),
            0u)
      << bad.error().message;
  EXPECT_EQ(R({{"cpu", "1"}, {"cpu", "3"}}).ToString(), "{cpu: 3}");
}

TEST(ResourceList, AddSumsPerResourceAndTakesNewResources) {
  ResourceList list = R({{"cpu", "1"}, {"memory", "1Gi"}});
  list.Add(R({{"cpu", "500m"}, {"pods", "1"}, {"aaa", "2"}}));
  EXPECT_EQ(list.ToString(), "{aaa: 2, cpu: 1500m, memory: 1Gi, pods: 1}");
  list.Add(R({{"memory", "512Mi"}}));
  EXPECT_EQ(list.ToString(), "{aaa: 2, cpu: 1500m, memory: 1536Mi, pods: 1}");
  list.Add(ResourceList());
  EXPECT_EQ(list.ToString(), "{aaa: 2, cpu: 1500m, memory: 1536Mi, pods: 1}");
}

TEST(ResourceList, AddIntoZeroTakesTheAddendsFormat) {
  ResourceList empty;
  empty.Add(R({{"memory", "1Gi"}}));
  EXPECT_EQ(empty.ToString(), "{memory: 1Gi}");
  ResourceList zero = R({{"memory", "0"}});
  zero.Add(R({{"memory", "2Gi"}}));
  EXPECT_EQ(zero.ToString(), "{memory: 2Gi}");
  EXPECT_EQ(zero.Get(kMemory).format(), Format::kBinarySI);
}

TEST(ResourceList, SubtractOnlyTouchesResourcesThisListHas) {
  ResourceList list = R({{"cpu", "2"}, {"memory", "2Gi"}, {"pods", "10"}});
  list.Subtract(R({{"cpu", "500m"}, {"memory", "1Gi"}, {"nvidia.com/gpu", "1"}}));
  EXPECT_EQ(list.ToString(), "{cpu: 1500m, memory: 1Gi, pods: 10}");
  list.Subtract(R({{"cpu", "2"}}));
  EXPECT_EQ(list.ToString(), "{cpu: -500m, memory: 1Gi, pods: 10}");
  list.Subtract(R({{"memory", "1Gi"}}));
  EXPECT_EQ(list.ToString(), "{cpu: -500m, memory: 0, pods: 10}");
  EXPECT_TRUE(list.Contains(kMemory));
}

struct FitsCase {
  std::string_view name;
  ResourceList request;
  ResourceList available;
  bool fits;
};

TEST(ResourceList, Fits) {
  const std::vector<FitsCase> cases = {
      {"equal fits", R({{"cpu", "1"}}), R({{"cpu", "1000m"}}), true},
      {"smaller fits", R({{"cpu", "999m"}}), R({{"cpu", "1"}}), true},
      {"larger does not fit", R({{"cpu", "1001m"}}), R({{"cpu", "1"}}), false},
      {"one nano too many", R({{"cpu", "1.000000001"}}), R({{"cpu", "1"}}), false},
      {"every resource must fit", R({{"cpu", "1"}, {"memory", "2Gi"}}),
       R({{"cpu", "4"}, {"memory", "1Gi"}}), false},
      {"missing resource with a request", R({{"nvidia.com/gpu", "1"}}), R({{"cpu", "4"}}), false},
      {"missing resource with a zero request", R({{"nvidia.com/gpu", "0"}}), R({{"cpu", "4"}}),
       true},
      {"empty request", ResourceList(), R({{"cpu", "4"}}), true},
      {"empty request, empty available", ResourceList(), ResourceList(), true},
      {"negative available never fits", ResourceList(), R({{"cpu", "4"}, {"memory", "-1"}}), false},
      {"negative available, unrelated request", R({{"cpu", "1"}}),
       R({{"cpu", "4"}, {"pods", "-1"}}), false},
      {"zero available fits a zero request", R({{"cpu", "0"}}), R({{"cpu", "0"}}), true},
      {"negative request fits", R({{"cpu", "-1"}}), ResourceList(), true},
      {"binary request in decimal available", R({{"memory", "1Gi"}}), R({{"memory", "1073741824"}}),
       true},
      {"1G fits in 1Gi", R({{"memory", "1G"}}), R({{"memory", "1Gi"}}), true},
      {"1Gi does not fit in 1G", R({{"memory", "1Gi"}}), R({{"memory", "1G"}}), false},
  };
  for (const FitsCase& c : cases) {
    EXPECT_EQ(c.request.Fits(c.available), c.fits) << c.name;
  }
}

TEST(ResourceList, MaxTakesTheLargerPerResourceOverTheUnion) {
  const ResourceList a = R({{"cpu", "1"}, {"memory", "2Gi"}});
  const ResourceList b = R({{"cpu", "1500m"}, {"memory", "1Gi"}, {"pods", "3"}});
  EXPECT_EQ(ResourceList::Max(a, b).ToString(), "{cpu: 1500m, memory: 2Gi, pods: 3}");
  EXPECT_EQ(ResourceList::Max(b, a).ToString(), "{cpu: 1500m, memory: 2Gi, pods: 3}");
  EXPECT_EQ(ResourceList::Max(a, ResourceList()), a);
  EXPECT_EQ(ResourceList::Max(ResourceList(), ResourceList()).ToString(), "{}");
  // A tie keeps the first list's quantity (and so its format).
  const ResourceList binary = R({{"memory", "1Gi"}});
  const ResourceList decimal = R({{"memory", "1073741824"}});
  EXPECT_EQ(ResourceList::Max(binary, decimal).ToString(), "{memory: 1Gi}");
  EXPECT_EQ(ResourceList::Max(decimal, binary).ToString(), "{memory: 1073741824}");
  // Negative quantities lose to present ones, but an absent resource is not a zero.
  EXPECT_EQ(ResourceList::Max(R({{"cpu", "-1"}}), R({{"cpu", "-2"}, {"pods", "-3"}})).ToString(),
            "{cpu: -1, pods: -3}");
}

TEST(ResourceList, IsZero) {
  EXPECT_TRUE(ResourceList().IsZero());
  EXPECT_TRUE(R({{"cpu", "0"}, {"memory", "0Gi"}}).IsZero());
  EXPECT_FALSE(R({{"cpu", "0"}, {"memory", "1n"}}).IsZero());
  EXPECT_FALSE(R({{"cpu", "-1"}}).IsZero());
}

TEST(ResourceList, EqualityComparesNamesAndValues) {
  EXPECT_EQ(R({{"cpu", "1000m"}, {"memory", "1Gi"}}), R({{"memory", "1073741824"}, {"cpu", "1"}}));
  EXPECT_NE(R({{"cpu", "0"}}), ResourceList());
  EXPECT_NE(R({{"cpu", "1"}}), R({{"cpu", "1"}, {"memory", "0"}}));
  EXPECT_NE(R({{"cpu", "1"}}), R({{"cpu", "1001m"}}));
  EXPECT_NE(R({{"cpu", "1"}}), R({{"pods", "1"}}));
  EXPECT_EQ(ResourceList(), ResourceList());
}

TEST(ResourceList, PrintToShowsTheList) {
  EXPECT_EQ(testing::PrintToString(R({{"cpu", "1.5"}, {"memory", "1.5Gi"}})),
            "{cpu: 1500m, memory: 1536Mi}");
}

}  // namespace
}  // namespace karpenter::core
