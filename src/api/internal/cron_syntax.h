// Syntax of a NodePool disruption budget's `schedule`, checked the way upstream Karpenter
// parses it at run time (robfig/cron's standard parser, with "TZ=UTC " put in front).
#pragma once

#include <string_view>

#include "core/result.h"

namespace karpenter::api::internal {

// Accepts what upstream accepts: after trimming surrounding whitespace, either a descriptor
// (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, or "@every <Go
// duration>") or exactly five whitespace-separated fields: minute (0-59), hour (0-23), day of
// month (1-31), month (1-12 or jan-dec) and day of week (0-6 or sun-sat; names in any case).
// Each field is a comma-separated list of `*`, `?`, `n`, `a-b`, each optionally `/step`
// ("n/step" runs from n to the field's maximum). Errors carry upstream's wording, e.g.
// `expected exactly 5 fields, found 4: [0 9 * *]` or
// `end of range (60) above maximum (59): 60`.
Result<void> CheckCronSyntax(std::string_view schedule);

}  // namespace karpenter::api::internal
