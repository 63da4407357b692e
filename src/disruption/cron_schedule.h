// A disruption budget's `schedule`, evaluated in UTC the way upstream Karpenter evaluates it
// (robfig/cron v3's standard parser behind "TZ=UTC "): five fields (minute, hour, day of month,
// month, day of week) or a descriptor.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/result.h"
#include "disruption/snapshot.h"

namespace karpenter::disruption {

class CronSchedule {
 public:
  // Parses, after trimming surrounding whitespace: @yearly/@annually, @monthly, @weekly,
  // @daily/@midnight, @hourly, "@every <Go duration>", or exactly five whitespace-separated
  // fields, each a comma-separated list of `*`, `?`, `n`, `a-b`, optionally `/step` ("n/step"
  // runs to the field's maximum). Months take jan-dec, days of week sun-sat (any case).
  // Errors carry robfig's wording, e.g. `expected exactly 5 fields, found 4: [0 9 * *]`.
  static Result<CronSchedule> Parse(std::string_view text);

  // The first firing strictly after `after`, as robfig's Next: firings fall on whole minutes
  // (second 0); the search gives up after the fifth year following `after`'s year and returns
  // nullopt (a schedule such as "0 0 30 2 *" never fires). For "@every d" the next firing is
  // `after` (whole seconds) + d, with d at least 1s and truncated to whole seconds.
  std::optional<Time> Next(Time after) const;

  // The latest firing at or before `at`, searching back five years; nullopt when there is none
  // or for "@every", which has no fixed firing times.
  std::optional<Time> Previous(Time at) const;

 private:
  // Set on a field written as * or ? (without a step above 1): when day-of-month and
  // day-of-week both lack it, a day matches when either field does (cron's historical rule).
  static constexpr uint64_t kStar = uint64_t{1} << 63;

  bool DayMatches(std::chrono::year_month_day day) const;
  // The first matching minute of `day` at or after minute `from` (0..1439), else nullopt.
  std::optional<int> FirstMinute(int from) const;
  // The last matching minute of a day at or before minute `to`, else nullopt.
  std::optional<int> LastMinute(int to) const;

  uint64_t minute_ = 0, hour_ = 0, dom_ = 0, month_ = 0, dow_ = 0;
  std::optional<std::chrono::seconds> every_;
};

}  // namespace karpenter::disruption
