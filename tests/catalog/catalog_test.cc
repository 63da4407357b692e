#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include "catalog/labels.h"
#include "test_catalogs.h"

namespace karpenter::catalog {
namespace {

using core::Requirement;
using core::Requirements;

Requirements Reqs(std::initializer_list<Requirement> list) {
  Requirements requirements;
  for (const Requirement& requirement : list) requirements.Add(requirement);
  return requirements;
}

std::vector<std::string> Names(const std::vector<const InstanceType*>& types) {
  std::vector<std::string> names;
  for (const InstanceType* type : types) names.push_back(type->name());
  return names;
}

InstanceType Custom(std::string name, std::vector<Offering> offerings,
                    Requirements requirements = {}) {
  Overhead overhead;
  overhead.kube_reserved = core::ResourceList{{"cpu", *core::Quantity::Parse("100m")}};
  return InstanceType::WithRequirements(
      std::move(name),
      core::ResourceList{{"cpu", core::Quantity::FromInt(4)}, {"pods", core::Quantity::FromInt(5)}},
      std::move(overhead), std::move(requirements), std::move(offerings));
}

Offering Spot(std::string zone, double price, bool available = true) {
  return {std::move(zone), CapacityType::kSpot, price, PriceSource::kCustom, available};
}

TEST(CatalogTest, CustomTypesSortedFoundAndUnique) {
  auto catalog = Catalog::Create({Custom("b", {}), Custom("a", {})});
  ASSERT_TRUE(catalog.has_value());
  EXPECT_EQ(catalog->types()[0].name(), "a");
  EXPECT_EQ(catalog->Find("b"), &catalog->types()[1]);
  EXPECT_EQ(catalog->Find("c"), nullptr);
  EXPECT_EQ(catalog->types()[0].allocatable().ToString(), "{cpu: 3900m, pods: 5}");
  auto duplicate = Catalog::Create({Custom("a", {}), Custom("a", {})});
  ASSERT_FALSE(duplicate.has_value());
  EXPECT_EQ(duplicate.error().message, "instance type \"a\" is defined more than once");
}

TEST(CatalogTest, CustomRequirementsAreVerbatim) {
  InstanceType type = Custom("t", {Spot("zone-1", 1)},
                             Reqs({Requirement::In("kubernetes.io/os", {"linux", "windows"})}));
  EXPECT_EQ(type.Requirements().ToString(), "kubernetes.io/os In [linux windows]");
  EXPECT_EQ(type.RequirementFor(kLabelZone), std::nullopt);  // nothing implied
  EXPECT_EQ(type.Label("kubernetes.io/os"), std::nullopt);   // two values
}

TEST(CatalogTest, FilterByRequirementsAndOfferings) {
  auto catalog = Catalog::Create(
      {Custom("arm", {Spot("zone-1", 1)},
              Reqs({Requirement::In(std::string(kLabelArch), {"arm64"})})),
       Custom("amd", {Spot("zone-2", 1)},
              Reqs({Requirement::In(std::string(kLabelArch), {"amd64"})})),
       Custom("gone", {Spot("zone-1", 1, false)}), Custom("any", {Spot("zone-1", 1)})});
  ASSERT_TRUE(catalog.has_value());
  EXPECT_EQ(Names(catalog->Filter({})), (std::vector<std::string>{"amd", "any", "arm"}));
  EXPECT_EQ(Names(catalog->Filter(Reqs({Requirement::In(std::string(kLabelArch), {"amd64"})}))),
            (std::vector<std::string>{"amd", "any"}));
  EXPECT_EQ(Names(catalog->Filter(Reqs({Requirement::In(std::string(kLabelZone), {"zone-1"})}))),
            (std::vector<std::string>{"any", "arm"}));
  EXPECT_EQ(Names(catalog->Filter(
                Reqs({Requirement::In(std::string(kLabelCapacityType), {"on-demand"})}))),
            (std::vector<std::string>{}));
}

TEST(CatalogTest, FilterHonoursUnavailableOfferings) {
  auto catalog = Catalog::Create({Custom("x", {Spot("zone-1", 1), Spot("zone-2", 2)})});
  ASSERT_TRUE(catalog.has_value());
  UnavailableOfferings cache;
  Time now = Time() + std::chrono::hours(1);
  cache.MarkUnavailable({"x", "zone-1", CapacityType::kSpot}, now);
  EXPECT_EQ(catalog->Filter({}, cache, now).size(), 1u);
  auto zone1 = Reqs({Requirement::In(std::string(kLabelZone), {"zone-1"})});
  EXPECT_EQ(catalog->Filter(zone1).size(), 1u);
  EXPECT_EQ(catalog->Filter(zone1, cache, now).size(), 0u);
  EXPECT_EQ(catalog->Filter(zone1, cache, now + std::chrono::minutes(4)).size(), 1u);
}

TEST(CatalogTest, FilterAwsCatalogLikeANodePool) {
  const Catalog& catalog = testing::DefaultCatalog("us-east-1");
  auto requirements = Reqs({
      Requirement::In(std::string(kLabelInstanceCategory), {"c", "m", "r"}),
      Requirement::In(std::string(kLabelArch), {"amd64"}),
      Requirement::In(std::string(kLabelInstanceCpu), {"2"}),
      Requirement::In(std::string(kLabelInstanceGeneration), {"5"}),
      Requirement::NotIn(std::string(kLabelInstanceGpuName), {"a100"}),
      Requirement::In("team", {"payments"}),  // the NodePool's own label: constrains nothing
  });
  EXPECT_EQ(
      Names(catalog.Filter(requirements)),
      (std::vector<std::string>{"c5.large", "c5a.large", "c5ad.large", "c5d.large", "c5n.large",
                                "m5.large", "m5a.large", "m5ad.large", "m5d.large", "m5dn.large",
                                "m5n.large", "m5zn.large", "r5.large", "r5a.large", "r5ad.large",
                                "r5b.large", "r5d.large", "r5dn.large", "r5n.large"}));
  // A key every AWS type defines as absent excludes them all when required to exist.
  EXPECT_TRUE(catalog.Filter(Reqs({Requirement::Exists(std::string(kLabelWindowsBuild))})).empty());
  auto gpus = catalog.Filter(Reqs({Requirement::In(std::string(kLabelInstanceGpuName), {"a100"})}));
  EXPECT_EQ(Names(gpus), (std::vector<std::string>{"p4d.24xlarge", "p4de.24xlarge"}));
}

TEST(CatalogTest, FilterByNamedTypesAsANodeClaimIsFiltered) {
  const Catalog& catalog = testing::DefaultCatalog("us-east-1");
  const Requirement named = Requirement::In(std::string(kLabelInstanceType),
                                            {"r5.large", "c5.large", "m5.large", "no-such.type"});
  EXPECT_EQ(Names(catalog.Filter(Reqs({named}))),
            (std::vector<std::string>{"c5.large", "m5.large", "r5.large"}));
  // The other requirements still apply to the named types.
  EXPECT_EQ(Names(catalog.Filter(
                Reqs({named, Requirement::In(std::string(kLabelInstanceCategory), {"m", "r"})}))),
            (std::vector<std::string>{"m5.large", "r5.large"}));
  // NotIn names the types to leave out: every other type stays.
  const Requirement except = Requirement::NotIn(std::string(kLabelInstanceType), {"c5.large"});
  EXPECT_EQ(catalog.Filter(Reqs({except})).size(), catalog.Filter({}).size() - 1);
}

TEST(CatalogTest, CustomTypesWithoutTheirNameAsLabelAreNotNarrowedByName) {
  // "any" defines no instance-type label: a requirement on it leaves the type in, whatever
  // the names it lists (Requirements::Intersects compares only keys both define).
  auto catalog = Catalog::Create(
      {Custom("any", {Spot("zone-1", 1)}),
       Custom("named", {Spot("zone-1", 1)},
              Reqs({Requirement::In(std::string(kLabelInstanceType), {"named"})}))});
  ASSERT_TRUE(catalog.has_value());
  EXPECT_EQ(Names(catalog->Filter(
                Reqs({Requirement::In(std::string(kLabelInstanceType), {"named", "other"})}))),
            (std::vector<std::string>{"any", "named"}));
}

}  // namespace
}  // namespace karpenter::catalog
