// Durations in Go's syntax, which Kubernetes and Karpenter manifests use ("720h", "30s",
// "1h30m"), and Karpenter's NillableDuration (a duration or "Never").
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace karpenter::core {

// Parses exactly what Go's time.ParseDuration accepts: an optional sign, then one or more
// decimal numbers each with a unit ("300ms", "-1.5h", "2h45m", ".5s"). Units: ns, us, µs
// (U+00B5), μs (U+03BC), ms, s, m, h. "0" alone needs no unit. Fractions are computed as Go
// does (through a double, truncated), so results agree to the nanosecond. Values outside int64
// nanoseconds are errors. Error messages are Go's, e.g. `time: unknown unit "d" in duration
// "1d"`.
Result<std::chrono::nanoseconds> ParseGoDuration(std::string_view text);

// Formats as Go's Duration.String(): "72h3m0.5s", "1h0m0s", "1.5s", "100ms", "1.5µs", "42ns",
// "0s"; trailing fractional zeros are dropped.
std::string FormatGoDuration(std::chrono::nanoseconds duration);

// Karpenter's NillableDuration (expireAfter, consolidateAfter): a duration, or Never.
class NillableDuration {
 public:
  // Never.
  NillableDuration() = default;
  explicit NillableDuration(std::chrono::nanoseconds duration) : duration_(duration) {}

  static NillableDuration Never() { return NillableDuration(); }

  // "Never" (exact case), or anything ParseGoDuration accepts.
  static Result<NillableDuration> Parse(std::string_view text);

  bool IsNever() const { return !duration_.has_value(); }
  std::optional<std::chrono::nanoseconds> value() const { return duration_; }

  // "Never", or FormatGoDuration of the value.
  std::string ToString() const;

  friend bool operator==(const NillableDuration&, const NillableDuration&) = default;

 private:
  std::optional<std::chrono::nanoseconds> duration_;
};

}  // namespace karpenter::core
