#include "disruption/cron_schedule.h"

#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "core/duration.h"
#include "core/requirement.h"

namespace karpenter::disruption {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr uint64_t kStarBit = uint64_t{1} << 63;

struct Bounds {
  uint64_t min;
  uint64_t max;
  const std::array<std::string_view, 12>* names;  // index i names min + i; may be null
};

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 12> kDays = {"sun", "mon", "tue", "wed", "thu", "fri",
                                                    "sat", "",    "",    "",    "",    ""};

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? text.npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::vector<std::string_view> Fields(std::string_view text) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    size_t start = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    if (i > start) fields.push_back(text.substr(start, i - start));
  }
  return fields;
}

Result<uint64_t> ParseNumber(std::string_view text) {
  std::optional<int64_t> value = core::ParseGoInt(text);
  if (!value) return Fail("failed to parse int from " + std::string(text));
  if (*value < 0) {
    return Fail("negative number (" + std::to_string(*value) +
                ") not allowed: " + std::string(text));
  }
  return static_cast<uint64_t>(*value);
}

Result<uint64_t> ParseNumberOrName(std::string_view text, const Bounds& bounds) {
  if (bounds.names != nullptr) {
    std::string lower(text);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (size_t i = 0; i < bounds.names->size(); ++i) {
      if (!(*bounds.names)[i].empty() && (*bounds.names)[i] == lower) return bounds.min + i;
    }
  }
  return ParseNumber(text);
}

uint64_t Bits(uint64_t min, uint64_t max, uint64_t step) {
  uint64_t bits = 0;
  for (uint64_t i = min; i <= max; i += step) bits |= uint64_t{1} << i;
  return bits;
}

// One item of a field's list, as robfig's getRange.
Result<uint64_t> ParseRange(std::string_view expr, const Bounds& bounds) {
  std::vector<std::string_view> range_and_step = Split(expr, '/');
  std::vector<std::string_view> low_and_high = Split(range_and_step[0], '-');
  uint64_t start = bounds.min, end = bounds.max, step = 1, extra = 0;
  if (low_and_high[0] == "*" || low_and_high[0] == "?") {
    extra = kStarBit;
  } else {
    Result<uint64_t> low = ParseNumberOrName(low_and_high[0], bounds);
    if (!low) return std::unexpected(low.error());
    start = end = *low;
    if (low_and_high.size() == 2) {
      Result<uint64_t> high = ParseNumberOrName(low_and_high[1], bounds);
      if (!high) return std::unexpected(high.error());
      end = *high;
    } else if (low_and_high.size() > 2) {
      return Fail("too many hyphens: " + std::string(expr));
    }
  }
  if (range_and_step.size() == 2) {
    Result<uint64_t> parsed = ParseNumber(range_and_step[1]);
    if (!parsed) return std::unexpected(parsed.error());
    step = *parsed;
    if (low_and_high.size() == 1) end = bounds.max;  // "n/step" means "n-max/step"
    if (step > 1) extra = 0;
  } else if (range_and_step.size() > 2) {
    return Fail("too many slashes: " + std::string(expr));
  }
  const std::string e(expr);
  if (start < bounds.min) {
    return Fail("beginning of range (" + std::to_string(start) + ") below minimum (" +
                std::to_string(bounds.min) + "): " + e);
  }
  if (end > bounds.max) {
    return Fail("end of range (" + std::to_string(end) + ") above maximum (" +
                std::to_string(bounds.max) + "): " + e);
  }
  if (start > end) {
    return Fail("beginning of range (" + std::to_string(start) + ") beyond end of range (" +
                std::to_string(end) + "): " + e);
  }
  if (step == 0) return Fail("step of range should be a positive number: " + e);
  return Bits(start, end, step) | extra;
}

Result<uint64_t> ParseField(std::string_view field, const Bounds& bounds) {
  uint64_t bits = 0;
  for (std::string_view expr : Split(field, ',')) {
    if (expr.empty()) continue;  // as strings.FieldsFunc, empty items are skipped
    Result<uint64_t> range = ParseRange(expr, bounds);
    if (!range) return range;
    bits |= *range;
  }
  return bits;
}

int MinutesOfDay(Time time, sys_days day) {
  return static_cast<int>(std::chrono::floor<std::chrono::minutes>(time - Time(day)).count());
}

}  // namespace

Result<CronSchedule> CronSchedule::Parse(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  if (text.empty()) return Fail("empty spec string");
  CronSchedule schedule;
  const uint64_t all_hours = Bits(0, 23, 1) | kStarBit, all_doms = Bits(1, 31, 1) | kStarBit,
                 all_months = Bits(1, 12, 1) | kStarBit, all_dows = Bits(0, 6, 1) | kStarBit;
  if (text.starts_with('@')) {
    schedule.minute_ = 1;
    schedule.hour_ = 1;
    schedule.dom_ = all_doms;
    schedule.month_ = all_months;
    schedule.dow_ = all_dows;
    if (text == "@yearly" || text == "@annually") {
      schedule.dom_ = uint64_t{1} << 1;
      schedule.month_ = uint64_t{1} << 1;
    } else if (text == "@monthly") {
      schedule.dom_ = uint64_t{1} << 1;
    } else if (text == "@weekly") {
      schedule.dow_ = 1;
    } else if (text == "@daily" || text == "@midnight") {
    } else if (text == "@hourly") {
      schedule.hour_ = all_hours;
    } else if (text.starts_with("@every ")) {
      Result<std::chrono::nanoseconds> every = core::ParseGoDuration(text.substr(7));
      if (!every) {
        return Fail("failed to parse duration " + std::string(text) + ": " + every.error().message);
      }
      // As robfig's Every: at least a second, whole seconds only.
      schedule.every_ =
          std::max(std::chrono::seconds(1), std::chrono::floor<std::chrono::seconds>(*every));
    } else {
      return Fail("unrecognized descriptor: " + std::string(text));
    }
    return schedule;
  }
  std::vector<std::string_view> fields = Fields(text);
  if (fields.size() != 5) {
    std::string listed;
    for (std::string_view field : fields)
      listed += (listed.empty() ? "" : " ") + std::string(field);
    return Fail("expected exactly 5 fields, found " + std::to_string(fields.size()) + ": [" +
                listed + "]");
  }
  const Bounds bounds[5] = {
      {0, 59, nullptr}, {0, 23, nullptr}, {1, 31, nullptr}, {1, 12, &kMonths}, {0, 6, &kDays}};
  uint64_t* targets[5] = {&schedule.minute_, &schedule.hour_, &schedule.dom_, &schedule.month_,
                          &schedule.dow_};
  for (size_t i = 0; i < 5; ++i) {
    Result<uint64_t> bits = ParseField(fields[i], bounds[i]);
    if (!bits) return std::unexpected(bits.error());
    *targets[i] = *bits;
  }
  return schedule;
}

bool CronSchedule::DayMatches(year_month_day day) const {
  if ((month_ & (uint64_t{1} << static_cast<unsigned>(day.month()))) == 0) return false;
  const bool dom = (dom_ & (uint64_t{1} << static_cast<unsigned>(day.day()))) != 0;
  const unsigned weekday = std::chrono::weekday(sys_days(day)).c_encoding();
  const bool dow = (dow_ & (uint64_t{1} << weekday)) != 0;
  if ((dom_ & kStar) != 0 || (dow_ & kStar) != 0) return dom && dow;
  return dom || dow;
}

std::optional<int> CronSchedule::FirstMinute(int from) const {
  for (int minute = std::max(from, 0); minute < 24 * 60; ++minute) {
    if ((hour_ & (uint64_t{1} << (minute / 60))) == 0) {
      minute = (minute / 60) * 60 + 59;  // skip the rest of the hour
      continue;
    }
    if ((minute_ & (uint64_t{1} << (minute % 60))) != 0) return minute;
  }
  return std::nullopt;
}

std::optional<int> CronSchedule::LastMinute(int to) const {
  for (int minute = std::min(to, 24 * 60 - 1); minute >= 0; --minute) {
    if ((hour_ & (uint64_t{1} << (minute / 60))) == 0) {
      minute = (minute / 60) * 60;  // skip to the start of the hour
      continue;
    }
    if ((minute_ & (uint64_t{1} << (minute % 60))) != 0) return minute;
  }
  return std::nullopt;
}

std::optional<Time> CronSchedule::Next(Time after) const {
  if (every_) return std::chrono::floor<std::chrono::seconds>(after) + *every_;
  // robfig starts at the next whole second strictly after `after`.
  const Time start = std::chrono::floor<std::chrono::seconds>(after) + std::chrono::seconds(1);
  const Time first = std::chrono::ceil<std::chrono::minutes>(start);
  sys_days day = std::chrono::floor<days>(first);
  const int year_limit =
      static_cast<int>(year_month_day(std::chrono::floor<days>(start)).year()) + 5;
  for (int from = MinutesOfDay(first, day);
       static_cast<int>(year_month_day(day).year()) <= year_limit; day += days(1), from = 0) {
    if (!DayMatches(year_month_day(day))) continue;
    if (std::optional<int> minute = FirstMinute(from))
      return Time(day) + std::chrono::minutes(*minute);
  }
  return std::nullopt;
}

std::optional<Time> CronSchedule::Previous(Time at) const {
  if (every_) return std::nullopt;
  const Time last = std::chrono::floor<std::chrono::minutes>(at);
  sys_days day = std::chrono::floor<days>(last);
  const int year_limit = static_cast<int>(year_month_day(day).year()) - 5;
  for (int to = MinutesOfDay(last, day); static_cast<int>(year_month_day(day).year()) >= year_limit;
       day -= days(1), to = 24 * 60) {
    if (!DayMatches(year_month_day(day))) continue;
    if (std::optional<int> minute = LastMinute(to))
      return Time(day) + std::chrono::minutes(*minute);
  }
  return std::nullopt;
}

}  // namespace karpenter::disruption
