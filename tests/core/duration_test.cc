#include "core/duration.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace karpenter::core {
namespace {

using std::chrono::nanoseconds;
constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;

TEST(ParseGoDuration, AcceptsWhatGoAccepts) {
  struct Case {
    std::string text;
    int64_t want;
  };
  const std::vector<Case> cases = {
      {"0", 0},
      {"-0", 0},
      {"+0", 0},
      {"5s", 5 * kSecond},
      {"+5s", 5 * kSecond},
      {"-5s", -5 * kSecond},
      {"30s", 30 * kSecond},
      {"1h30m", kHour + 30 * kMinute},
      {"1.5h", kHour + 30 * kMinute},
      {"-1.5h", -(kHour + 30 * kMinute)},
      {"300ms", 300'000'000},
      {"2h45m", 2 * kHour + 45 * kMinute},
      {"720h", 720 * kHour},
      {"10ns", 10},
      {"1us", 1'000},
      {"1\u00b5s", 1'000},  // micro sign
      {"1\u03bcs", 1'000},  // Greek mu
      {"13ms", 13'000'000},
      {"15m", 15 * kMinute},
      {".5s", 500'000'000},
      {"5.s", 5 * kSecond},
      {"5.0s", 5 * kSecond},
      {"1.004s", kSecond + 4'000'000},
      {"100.00100s", 100 * kSecond + 1'000'000},
      {"10.5s4m", 4 * kMinute + 10 * kSecond + 500'000'000},
      {"-2m3.4s", -(2 * kMinute + 3 * kSecond + 400'000'000)},
      {"1h2m3s4ms5us6ns", kHour + 2 * kMinute + 3 * kSecond + 4'000'000 + 5'000 + 6},
      {"39h9m14.425s", 39 * kHour + 9 * kMinute + 14 * kSecond + 425'000'000},
      {"52763797000ns", 52763797000},
      {"0.3333333333333333333h", 20 * kMinute},
      {"9007199254740993ns", (int64_t{1} << 53) + 1},
      {"9223372036854775807ns", INT64_MAX},
      {"9223372036854775.807us", INT64_MAX},
      {"9223372036s854ms775us807ns", INT64_MAX},
      {"-9223372036854775808ns", INT64_MIN},
      {"-9223372036854775.808us", INT64_MIN},
      {"-2562047h47m16.854775808s", INT64_MIN},
      {"0.100000000000000000000h", 6 * kMinute},
      {"0.830103483285477580700h", 49 * kMinute + 48 * kSecond + 372539827},
  };
  for (const Case& c : cases) {
    Result<nanoseconds> got = ParseGoDuration(c.text);
    ASSERT_TRUE(got.has_value()) << c.text << ": " << got.error().message;
    EXPECT_EQ(got->count(), c.want) << c.text;
  }
}

TEST(ParseGoDuration, RejectsWithGoMessages) {
  struct Case {
    std::string text;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"", "time: invalid duration \"\""},
      {"1", "time: missing unit in duration \"1\""},
      {"3", "time: missing unit in duration \"3\""},
      {"1.5", "time: missing unit in duration \"1.5\""},
      {"1m1", "time: missing unit in duration \"1m1\""},
      {"1..5s", "time: missing unit in duration \"1..5s\""},
      {"1d", "time: unknown unit \"d\" in duration \"1d\""},
      {"1H", "time: unknown unit \"H\" in duration \"1H\""},
      {"1h 30m", "time: unknown unit \"h \" in duration \"1h 30m\""},
      {"5\u00b5x", "time: unknown unit \"\\xc2\\xb5x\" in duration \"5\\xc2\\xb5x\""},
      {"-", "time: invalid duration \"-\""},
      {"s", "time: invalid duration \"s\""},
      {".", "time: invalid duration \".\""},
      {"-.", "time: invalid duration \"-.\""},
      {".s", "time: invalid duration \".s\""},
      {"+.s", "time: invalid duration \"+.s\""},
      {" 1s", "time: invalid duration \" 1s\""},
      {"Never", "time: invalid duration \"Never\""},
      {"\"", "time: invalid duration \"\\\"\""},
      {"\x85\x85", "time: invalid duration \"\\x85\\x85\""},
      {"\xff"
       "ff",
       "time: invalid duration \"\\xffff\""},
      {"3000000h", "time: invalid duration \"3000000h\""},
      {"2562048h", "time: invalid duration \"2562048h\""},
      {"9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\""},
      {"9223372036854775810ns", "time: invalid duration \"9223372036854775810ns\""},
      {"9223372036854775.808us", "time: invalid duration \"9223372036854775.808us\""},
      {"9223372036854ms775us808ns", "time: invalid duration \"9223372036854ms775us808ns\""},
      {"-9223372036854775809ns", "time: invalid duration \"-9223372036854775809ns\""},
  };
  for (const Case& c : cases) {
    Result<nanoseconds> got = ParseGoDuration(c.text);
    ASSERT_FALSE(got.has_value()) << c.text << " parsed as " << got->count();
    EXPECT_EQ(got.error().message, c.error) << c.text;
  }
}

TEST(FormatGoDuration, MatchesGoDurationString) {
  struct Case {
    int64_t ns;
    std::string want;
  };
  const std::vector<Case> cases = {
      {0, "0s"},
      {1, "1ns"},
      {999, "999ns"},
      {1'000, "1\u00b5s"},
      {1'100, "1.1\u00b5s"},
      {2'200'000, "2.2ms"},
      {100'000'000, "100ms"},
      {3'300'000'000, "3.3s"},
      {1'500'000'000, "1.5s"},
      {30 * kSecond, "30s"},
      {kMinute, "1m0s"},
      {4 * kMinute + 5 * kSecond, "4m5s"},
      {4 * kMinute + 5'001'000'000, "4m5.001s"},
      {8 * kMinute + 1, "8m0.000000001s"},
      {kHour, "1h0m0s"},
      {kHour + 30 * kMinute, "1h30m0s"},
      {5 * kHour + 6 * kMinute + 7'001'000'000, "5h6m7.001s"},
      {720 * kHour, "720h0m0s"},
      {-(kHour + 30 * kMinute), "-1h30m0s"},
      {-1, "-1ns"},
      {-1'500'000, "-1.5ms"},
      {INT64_MAX, "2562047h47m16.854775807s"},
      {INT64_MIN, "-2562047h47m16.854775808s"},
  };
  for (const Case& c : cases) EXPECT_EQ(FormatGoDuration(nanoseconds(c.ns)), c.want) << c.ns;
}

TEST(FormatGoDuration, RoundTripsThroughParse) {
  for (int64_t ns : {int64_t{0}, int64_t{1}, int64_t{1'100}, 3 * kHour + 7, -kMinute - 1, INT64_MAX,
                     INT64_MIN, int64_t{123456789012345}}) {
    Result<nanoseconds> back = ParseGoDuration(FormatGoDuration(nanoseconds(ns)));
    ASSERT_TRUE(back.has_value()) << ns;
    EXPECT_EQ(back->count(), ns);
  }
}

TEST(NillableDuration, ParsesNeverAndDurations) {
  Result<NillableDuration> never = NillableDuration::Parse("Never");
  ASSERT_TRUE(never.has_value());
  EXPECT_TRUE(never->IsNever());
  EXPECT_EQ(never->value(), std::nullopt);
  EXPECT_EQ(never->ToString(), "Never");
  EXPECT_EQ(*never, NillableDuration::Never());
  EXPECT_EQ(NillableDuration(), NillableDuration::Never());

  Result<NillableDuration> expire = NillableDuration::Parse("720h");
  ASSERT_TRUE(expire.has_value());
  EXPECT_FALSE(expire->IsNever());
  EXPECT_EQ(expire->value(), std::optional<nanoseconds>(nanoseconds(720 * kHour)));
  EXPECT_EQ(expire->ToString(), "720h0m0s");
  EXPECT_EQ(*expire, NillableDuration(std::chrono::hours(720)));
  EXPECT_NE(*expire, NillableDuration::Never());

  Result<NillableDuration> zero = NillableDuration::Parse("0s");
  ASSERT_TRUE(zero.has_value());
  EXPECT_FALSE(zero->IsNever());
  EXPECT_EQ(zero->ToString(), "0s");

  EXPECT_EQ(NillableDuration(std::chrono::seconds(30)).ToString(), "30s");
}

TEST(NillableDuration, RejectsOtherSpellings) {
  EXPECT_EQ(NillableDuration::Parse("never").error().message, "time: invalid duration \"never\"");
  EXPECT_EQ(NillableDuration::Parse("").error().message, "time: invalid duration \"\"");
  EXPECT_EQ(NillableDuration::Parse("30").error().message, "time: missing unit in duration \"30\"");
  EXPECT_EQ(NillableDuration::Parse("1d").error().message,
            "time: unknown unit \"d\" in duration \"1d\"");
}

}  // namespace
}  // namespace karpenter::core
