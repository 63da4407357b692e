#include "disruption/cron_schedule.h"

#include <gtest/gtest.h>

#include "disruption_test_util.h"

namespace karpenter::disruption {
namespace {

using testing::At;

CronSchedule Parse(std::string_view text) {
  Result<CronSchedule> schedule = CronSchedule::Parse(text);
  EXPECT_TRUE(schedule.has_value()) << text << ": " << (schedule ? "" : schedule.error().message);
  return schedule.value_or(CronSchedule());
}

std::string ParseError(std::string_view text) {
  Result<CronSchedule> schedule = CronSchedule::Parse(text);
  return schedule ? "<parsed>" : schedule.error().message;
}

TEST(CronSchedule, RejectsWhatRobfigRejects) {
  EXPECT_EQ(ParseError(""), "empty spec string");
  EXPECT_EQ(ParseError("   "), "empty spec string");
  EXPECT_EQ(ParseError("0 9 * *"), "expected exactly 5 fields, found 4: [0 9 * *]");
  EXPECT_EQ(ParseError("0 0 9 * * *"), "expected exactly 5 fields, found 6: [0 0 9 * * *]");
  EXPECT_EQ(ParseError("60 * * * *"), "end of range (60) above maximum (59): 60");
  EXPECT_EQ(ParseError("* * 0 * *"), "beginning of range (0) below minimum (1): 0");
  EXPECT_EQ(ParseError("5-3 * * * *"), "beginning of range (5) beyond end of range (3): 5-3");
  EXPECT_EQ(ParseError("*/0 * * * *"), "step of range should be a positive number: */0");
  EXPECT_EQ(ParseError("1-2-3 * * * *"), "too many hyphens: 1-2-3");
  EXPECT_EQ(ParseError("1/2/3 * * * *"), "too many slashes: 1/2/3");
  EXPECT_EQ(ParseError("x * * * *"), "failed to parse int from x");
  EXPECT_EQ(ParseError("* * * * 7"), "end of range (7) above maximum (6): 7");
  EXPECT_EQ(ParseError("@fortnightly"), "unrecognized descriptor: @fortnightly");
  EXPECT_EQ(ParseError("@every 1d"),
            "failed to parse duration @every 1d: time: unknown unit \"d\" in duration \"1d\"");
}

TEST(CronSchedule, NextIsStrictlyAfter) {
  CronSchedule nightly = Parse("0 23 * * *");
  EXPECT_EQ(nightly.Next(At("2024-05-27T22:59:00Z")), At("2024-05-27T23:00:00Z"));
  EXPECT_EQ(nightly.Next(At("2024-05-27T22:59:59Z")), At("2024-05-27T23:00:00Z"));
  EXPECT_EQ(nightly.Next(At("2024-05-27T23:00:00Z")), At("2024-05-28T23:00:00Z"));
  EXPECT_EQ(nightly.Next(At("2024-12-31T23:30:00Z")), At("2025-01-01T23:00:00Z"));
}

TEST(CronSchedule, PreviousIsAtOrBefore) {
  CronSchedule nightly = Parse("  0 23 * * *  ");
  EXPECT_EQ(nightly.Previous(At("2024-05-28T18:59:00Z")), At("2024-05-27T23:00:00Z"));
  EXPECT_EQ(nightly.Previous(At("2024-05-27T23:00:00Z")), At("2024-05-27T23:00:00Z"));
  EXPECT_EQ(nightly.Previous(At("2024-05-27T23:00:59Z")), At("2024-05-27T23:00:00Z"));
  EXPECT_EQ(nightly.Previous(At("2024-05-27T22:59:59Z")), At("2024-05-26T23:00:00Z"));
  EXPECT_EQ(nightly.Previous(At("2024-01-01T00:00:00Z")), At("2023-12-31T23:00:00Z"));
}

TEST(CronSchedule, RangesStepsListsAndNames) {
  // 2024-05-25 is a Saturday, 2024-05-27 a Monday.
  CronSchedule office = Parse("*/15 9-17 * * MON-fri");
  EXPECT_EQ(office.Next(At("2024-05-25T12:00:00Z")), At("2024-05-27T09:00:00Z"));
  EXPECT_EQ(office.Next(At("2024-05-27T09:00:00Z")), At("2024-05-27T09:15:00Z"));
  EXPECT_EQ(office.Next(At("2024-05-27T17:45:00Z")), At("2024-05-28T09:00:00Z"));
  EXPECT_EQ(office.Previous(At("2024-05-27T08:00:00Z")), At("2024-05-24T17:45:00Z"));
  CronSchedule listed = Parse("5,35 0/12 * jan,JUL *");
  EXPECT_EQ(listed.Next(At("2024-05-27T00:00:00Z")), At("2024-07-01T00:05:00Z"));
  EXPECT_EQ(listed.Next(At("2024-07-01T00:05:00Z")), At("2024-07-01T00:35:00Z"));
  EXPECT_EQ(listed.Next(At("2024-07-01T00:35:00Z")), At("2024-07-01T12:05:00Z"));
  EXPECT_EQ(listed.Previous(At("2024-05-27T00:00:00Z")), At("2024-01-31T12:35:00Z"));
}

TEST(CronSchedule, DayOfMonthOrDayOfWeekWhenBothRestricted) {
  // Both restricted: either matches (the 1st, or any Monday).
  EXPECT_EQ(Parse("0 0 1 * mon").Next(At("2024-05-27T00:00:00Z")), At("2024-06-01T00:00:00Z"));
  // Day of month *: Mondays only.
  EXPECT_EQ(Parse("0 0 * * mon").Next(At("2024-05-27T00:00:00Z")), At("2024-06-03T00:00:00Z"));
  // As robfig, "*/2" with a step above 1 counts as restricted: odd days or Mondays.
  EXPECT_EQ(Parse("0 0 */2 * mon").Next(At("2024-05-27T00:00:00Z")), At("2024-05-29T00:00:00Z"));
  // "?" is a star like "*".
  EXPECT_EQ(Parse("0 0 ? * mon").Next(At("2024-05-27T00:00:00Z")), At("2024-06-03T00:00:00Z"));
}

TEST(CronSchedule, Descriptors) {
  const Time now = At("2024-05-27T22:59:00Z");
  EXPECT_EQ(Parse("@yearly").Next(now), At("2025-01-01T00:00:00Z"));
  EXPECT_EQ(Parse("@annually").Previous(now), At("2024-01-01T00:00:00Z"));
  EXPECT_EQ(Parse("@monthly").Next(now), At("2024-06-01T00:00:00Z"));
  EXPECT_EQ(Parse("@weekly").Next(now), At("2024-06-02T00:00:00Z"));  // a Sunday
  EXPECT_EQ(Parse("@weekly").Previous(now), At("2024-05-26T00:00:00Z"));
  EXPECT_EQ(Parse("@daily").Next(now), At("2024-05-28T00:00:00Z"));
  EXPECT_EQ(Parse("@midnight").Previous(now), At("2024-05-27T00:00:00Z"));
  EXPECT_EQ(Parse("@hourly").Next(now), At("2024-05-27T23:00:00Z"));
  EXPECT_EQ(Parse("@hourly").Previous(now), At("2024-05-27T22:00:00Z"));
}

TEST(CronSchedule, EveryAddsTheDelayToWholeSeconds) {
  CronSchedule every = Parse("@every 90m");
  EXPECT_EQ(every.Next(At("2024-05-27T22:59:00Z") + std::chrono::milliseconds(500)),
            At("2024-05-28T00:29:00Z"));
  EXPECT_EQ(every.Previous(At("2024-05-27T22:59:00Z")), std::nullopt);
  // Below a second rounds up to a second.
  EXPECT_EQ(Parse("@every 10ms").Next(At("2024-05-27T22:59:00Z")), At("2024-05-27T22:59:01Z"));
}

TEST(CronSchedule, GivesUpAfterFiveYears) {
  CronSchedule never = Parse("0 0 30 2 *");
  EXPECT_EQ(never.Next(At("2024-05-27T00:00:00Z")), std::nullopt);
  EXPECT_EQ(never.Previous(At("2024-05-27T00:00:00Z")), std::nullopt);
  CronSchedule leap = Parse("0 0 29 2 *");
  EXPECT_EQ(leap.Next(At("2024-03-01T00:00:00Z")), At("2028-02-29T00:00:00Z"));
  EXPECT_EQ(leap.Previous(At("2024-03-01T00:00:00Z")), At("2024-02-29T00:00:00Z"));
}

}  // namespace
}  // namespace karpenter::disruption
