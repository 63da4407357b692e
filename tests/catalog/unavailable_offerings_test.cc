#include "catalog/unavailable_offerings.h"

#include <gtest/gtest.h>

namespace karpenter::catalog {
namespace {

using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;

const Time kStart = Time() + std::chrono::hours(1000);

TEST(UnavailableOfferingsTest, ExpiresAfterTtl) {
  UnavailableOfferings cache;
  OfferingKey key{"m5.large", "us-east-1a", CapacityType::kSpot};
  EXPECT_TRUE(cache.IsAvailable(key, kStart));
  cache.MarkUnavailable(key, kStart);
  EXPECT_FALSE(cache.IsAvailable(key, kStart));
  EXPECT_FALSE(cache.IsAvailable(key, kStart + minutes(3)));  // still in force at expiry
  EXPECT_TRUE(cache.IsAvailable(key, kStart + minutes(3) + nanoseconds(1)));
  EXPECT_EQ(cache.seq_num(), 1u);
}

TEST(UnavailableOfferingsTest, KeyedByTypeZoneAndCapacityType) {
  UnavailableOfferings cache;
  cache.MarkUnavailable({"m5.large", "us-east-1a", CapacityType::kSpot}, kStart, seconds(10));
  EXPECT_TRUE(cache.IsAvailable({"m5.large", "us-east-1a", CapacityType::kOnDemand}, kStart));
  EXPECT_TRUE(cache.IsAvailable({"m5.large", "us-east-1b", CapacityType::kSpot}, kStart));
  EXPECT_TRUE(cache.IsAvailable({"m5.xlarge", "us-east-1a", CapacityType::kSpot}, kStart));
  EXPECT_FALSE(cache.IsAvailable({"m5.large", "us-east-1a", CapacityType::kSpot}, kStart));
}

TEST(UnavailableOfferingsTest, MarkingAgainRestartsTheWait) {
  UnavailableOfferings cache;
  OfferingKey key{"c5.large", "eu-west-1c", CapacityType::kOnDemand};
  cache.MarkUnavailable(key, kStart);
  cache.MarkUnavailable(key, kStart + minutes(2));
  EXPECT_FALSE(cache.IsAvailable(key, kStart + minutes(4)));
  EXPECT_TRUE(cache.IsAvailable(key, kStart + minutes(5) + seconds(1)));
  // A shorter mark replaces a longer one.
  cache.MarkUnavailable(key, kStart + minutes(10), minutes(60));
  cache.MarkUnavailable(key, kStart + minutes(10), seconds(1));
  EXPECT_TRUE(cache.IsAvailable(key, kStart + minutes(10) + seconds(2)));
  EXPECT_EQ(cache.seq_num(), 4u);
}

TEST(UnavailableOfferingsTest, ExpireDropsOnlyExpiredEntries) {
  UnavailableOfferings cache;
  cache.MarkUnavailable({"a", "z", CapacityType::kSpot}, kStart, seconds(10));
  cache.MarkUnavailable({"b", "z", CapacityType::kSpot}, kStart, seconds(30));
  cache.Expire(kStart + seconds(10));
  EXPECT_EQ(cache.size(), 2u);
  cache.Expire(kStart + seconds(20));
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_FALSE(cache.IsAvailable({"b", "z", CapacityType::kSpot}, kStart + seconds(20)));
  cache.Expire(kStart + minutes(1));
  EXPECT_EQ(cache.size(), 0u);
}

TEST(UnavailableOfferingsTest, AnyExpiresBetweenTellsWhenAvailabilityChanged) {
  UnavailableOfferings cache;
  cache.MarkUnavailable({"m5.large", "us-east-1a", CapacityType::kSpot}, kStart);
  const Time expiry = kStart + UnavailableOfferings::kDefaultTtl;
  // Unavailable at `expiry` itself, available just after: a change in [from, to) only when
  // `from` <= expiry < `to`.
  EXPECT_FALSE(cache.AnyExpiresBetween(kStart, expiry));
  EXPECT_TRUE(cache.AnyExpiresBetween(kStart, expiry + nanoseconds(1)));
  EXPECT_TRUE(cache.AnyExpiresBetween(expiry, expiry + minutes(1)));
  EXPECT_FALSE(cache.AnyExpiresBetween(expiry + nanoseconds(1), expiry + minutes(1)));
}

}  // namespace
}  // namespace karpenter::catalog
