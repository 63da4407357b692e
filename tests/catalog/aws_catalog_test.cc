#include "catalog/aws_catalog.h"

#include <gtest/gtest.h>

#include "catalog/labels.h"
#include "test_catalogs.h"

namespace karpenter::catalog {
namespace {

using testing::DefaultCatalog;
using testing::DefaultType;

TEST(AwsCatalogTest, RegionsAndSizes) {
  EXPECT_EQ(AwsRegions(), (std::vector<std::string>{"ap-northeast-2", "ap-southeast-1", "eu-west-1",
                                                    "us-east-1", "us-west-2"}));
  EXPECT_EQ(DefaultCatalog("us-east-1").size(), 1235u);
  EXPECT_EQ(DefaultCatalog("us-east-1").region(), "us-east-1");
  EXPECT_EQ(DefaultCatalog("ap-southeast-1").size(), 809u);
}

TEST(AwsCatalogTest, UnknownRegion) {
  auto catalog = LoadAwsCatalog("mars-north-1");
  ASSERT_FALSE(catalog.has_value());
  EXPECT_EQ(catalog.error().message,
            "no instance-type data for region \"mars-north-1\"; known regions: ap-northeast-2, "
            "ap-southeast-1, eu-west-1, us-east-1, us-west-2");
}

TEST(AwsCatalogTest, OfferingsPerZoneAndCapacityType) {
  const InstanceType& type = DefaultType("us-east-1", "m5.large");
  ASSERT_EQ(type.offerings().size(), 10u);  // zones a b c d f, on-demand and spot
  const Offering& first = type.offerings()[0];
  EXPECT_EQ(first.zone, "us-east-1a");
  EXPECT_EQ(first.capacity_type, CapacityType::kOnDemand);
  EXPECT_DOUBLE_EQ(first.price, 0.096);
  EXPECT_EQ(first.price_source, PriceSource::kOnDemandList);
  EXPECT_TRUE(first.available);
  const Offering& spot = type.offerings()[1];
  EXPECT_EQ(spot.zone, "us-east-1a");
  EXPECT_EQ(spot.capacity_type, CapacityType::kSpot);
  EXPECT_DOUBLE_EQ(spot.price, 0.096 * 0.3);
  EXPECT_EQ(spot.price_source, PriceSource::kSpotModel);
  EXPECT_TRUE(IsModelled(spot.price_source));
  EXPECT_EQ(type.offerings()[9].zone, "us-east-1f");
  EXPECT_EQ(type.CheapestAvailableOffering(), &type.offerings()[1]);

  // On-demand only (no spot usage class); capacity blocks are never offered.
  const InstanceType& u6tb = DefaultType("us-east-1", "u-6tb1.112xlarge");
  ASSERT_EQ(u6tb.offerings().size(), 4u);
  for (const Offering& offering : u6tb.offerings()) {
    EXPECT_EQ(offering.capacity_type, CapacityType::kOnDemand);
  }
  EXPECT_EQ(DefaultType("us-east-1", "p4d.24xlarge").offerings().size(), 8u);
  EXPECT_EQ(u6tb.Label(kLabelCapacityType), "on-demand");
}

TEST(AwsCatalogTest, OtherRegionsUseUsEast1Prices) {
  const InstanceType& type = DefaultType("eu-west-1", "m5.large");
  ASSERT_EQ(type.offerings().size(), 6u);
  EXPECT_EQ(type.offerings()[0].zone, "eu-west-1a");
  EXPECT_DOUBLE_EQ(type.offerings()[0].price, 0.096);
  EXPECT_EQ(type.offerings()[0].price_source, PriceSource::kOnDemandListFallback);
  EXPECT_EQ(ToString(type.offerings()[0].price_source), "on-demand-list-us-east-1");
  EXPECT_EQ(type.Label(kLabelRegion), "eu-west-1");
}

TEST(AwsCatalogTest, TypeWithoutAPriceHasNoAvailableOffering) {
  // hpc7a is not sold in us-east-1, so the fallback table has no price for it.
  const InstanceType& type = DefaultType("eu-west-1", "hpc7a.12xlarge");
  ASSERT_FALSE(type.offerings().empty());
  for (const Offering& offering : type.offerings()) {
    EXPECT_FALSE(offering.available);
    EXPECT_EQ(offering.price_source, PriceSource::kNone);
  }
  EXPECT_EQ(type.CheapestAvailableOffering(), nullptr);
  // As upstream, its zones are still labels it offers.
  EXPECT_TRUE(type.RequirementFor(kLabelZone)->Has("eu-west-1b"));
}

TEST(AwsCatalogTest, SpotObservationsAndRatio) {
  AwsCatalogSettings settings;
  settings.pricing.spot_to_on_demand_ratio = 1.0;
  settings.pricing.spot_prices = {{"m5.large", "us-east-1b", 0.031}};
  auto catalog = LoadAwsCatalog("us-east-1", settings);
  ASSERT_TRUE(catalog.has_value());
  const InstanceType* type = catalog->Find("m5.large");
  ASSERT_NE(type, nullptr);
  const Offering& spot_a = type->offerings()[1];
  const Offering& spot_b = type->offerings()[3];
  EXPECT_EQ(spot_b.zone, "us-east-1b");
  EXPECT_DOUBLE_EQ(spot_a.price, 0.096);
  EXPECT_EQ(spot_a.price_source, PriceSource::kSpotModel);
  EXPECT_DOUBLE_EQ(spot_b.price, 0.031);
  EXPECT_EQ(spot_b.price_source, PriceSource::kSpotObserved);
  EXPECT_FALSE(IsModelled(spot_b.price_source));

  settings.pricing.spot_to_on_demand_ratio = 0;
  auto bad = LoadAwsCatalog("us-east-1", settings);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message, "spot_to_on_demand_ratio must be a positive number, got 0.000000");
}

TEST(AwsCatalogTest, SettingsReachEveryType) {
  AwsCatalogSettings settings;
  settings.node.kubelet.max_pods = 20;
  auto catalog = LoadAwsCatalog("ap-northeast-2", settings);
  ASSERT_TRUE(catalog.has_value());
  for (const InstanceType& type : catalog->types()) {
    EXPECT_EQ(type.capacity().Get("pods").Value(), 20) << type.name();
  }
  settings.node.kubelet.eviction_hard = {{"nodefs.available", "lots%"}};
  EXPECT_FALSE(LoadAwsCatalog("ap-northeast-2", settings).has_value());
}

TEST(BuildAwsCatalogTest, SmallDataAndErrors) {
  std::string types =
      "# comment\n"
      "name\tvcpus\n"
      "m5.large\t2\t8192\tx86_64\thvm\ton-demand,spot\tnitro\tIntel\t3.1\t3\t10\tfalse\t0\t"
      "Up to 10 Gigabit\t0.75\tdefault\t4750\t\t\t\t\t\n"
      "zz.large\t2\t8192\tx86_64\thvm\ton-demand\tnitro\tIntel\t\t3\t10\tfalse\t0\tx\t\t"
      "default\t\t\t\t\t\t\n";
  AwsCatalogData data{.instance_types = types,
                      .offerings = "name\tzones\nm5.large\tbc\n",
                      .on_demand_prices = "m5.large\t0.1\n",
                      .prices_from_other_region = false};
  auto catalog = BuildAwsCatalog("test-1", data);
  ASSERT_TRUE(catalog.has_value()) << catalog.error().message;
  ASSERT_EQ(catalog->size(), 1u);  // zz.large is not offered in the region
  const InstanceType& type = catalog->types()[0];
  EXPECT_EQ(type.offerings()[0].zone, "test-1b");
  EXPECT_EQ(type.offerings()[2].zone, "test-1c");
  EXPECT_EQ(type.allocatable().Get("memory").ToString(), "6903Mi");

  data.offerings = "name\tzones\nm5.large\tb1\n";
  auto bad_zones = BuildAwsCatalog("test-1", data);
  ASSERT_FALSE(bad_zones.has_value());
  EXPECT_EQ(bad_zones.error().message,
            "offerings line 2: expected \"name<TAB>value\", got \"m5.large\tb1\"");

  data.offerings = "m5.large\tb\nzz.large\tb\n";
  data.instance_types = "zz.large\t2\t8192\n";
  auto bad_row = BuildAwsCatalog("test-1", data);
  ASSERT_FALSE(bad_row.has_value());
  EXPECT_EQ(bad_row.error().message,
            "instance-types line 1: expected 22 tab-separated columns, got 3");
}

}  // namespace
}  // namespace karpenter::catalog
