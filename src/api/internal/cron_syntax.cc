#include "api/internal/cron_syntax.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

#include "core/duration.h"
#include "core/requirement.h"

namespace karpenter::api::internal {
namespace {

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
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? text.npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// Go's strings.Fields on ASCII whitespace.
std::vector<std::string_view> Fields(std::string_view text) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    std::size_t start = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    if (i > start) fields.push_back(text.substr(start, i - start));
  }
  return fields;
}

// robfig's mustParseInt: strconv.Atoi, then no negatives.
Result<uint64_t> ParseNumber(std::string_view text) {
  std::optional<int64_t> value = core::ParseGoInt(text);
  if (!value) {
    std::string_view digits = text;
    if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits.remove_prefix(1);
    const bool numeric =
        !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
    return Fail("failed to parse int from " + std::string(text) + ": strconv.Atoi: parsing \"" +
                std::string(text) + "\": " + (numeric ? "value out of range" : "invalid syntax"));
  }
  if (*value < 0) {
    return Fail("negative number (" + std::to_string(*value) + ") not allowed: " +
                std::string(text));
  }
  return static_cast<uint64_t>(*value);
}

Result<uint64_t> ParseNumberOrName(std::string_view text, const Bounds& bounds) {
  if (bounds.names != nullptr) {
    std::string lower(text);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::size_t i = 0; i < bounds.names->size(); ++i) {
      if (!(*bounds.names)[i].empty() && (*bounds.names)[i] == lower) return bounds.min + i;
    }
  }
  return ParseNumber(text);
}

Result<void> CheckRange(std::string_view expr, const Bounds& bounds) {
  std::vector<std::string_view> range_and_step = Split(expr, '/');
  std::vector<std::string_view> low_and_high = Split(range_and_step[0], '-');
  uint64_t start = bounds.min, end = bounds.max, step = 1;
  if (low_and_high[0] != "*" && low_and_high[0] != "?") {
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
  return {};
}

Result<void> CheckDescriptor(std::string_view descriptor) {
  for (std::string_view known :
       {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}) {
    if (descriptor == known) return {};
  }
  constexpr std::string_view kEvery = "@every ";
  if (descriptor.starts_with(kEvery)) {
    std::string_view text = descriptor.substr(kEvery.size());
    Result<std::chrono::nanoseconds> duration = core::ParseGoDuration(text);
    if (!duration) {
      return Fail("failed to parse duration " + std::string(descriptor) + ": " +
                  duration.error().message);
    }
    return {};
  }
  return Fail("unrecognized descriptor: " + std::string(descriptor));
}

}  // namespace

Result<void> CheckCronSyntax(std::string_view schedule) {
  while (!schedule.empty() && IsSpace(schedule.front())) schedule.remove_prefix(1);
  while (!schedule.empty() && IsSpace(schedule.back())) schedule.remove_suffix(1);
  if (schedule.starts_with('@')) return CheckDescriptor(schedule);
  std::vector<std::string_view> fields = Fields(schedule);
  if (fields.size() != 5) {
    std::string listed;
    for (std::string_view field : fields) listed += (listed.empty() ? "" : " ") + std::string(field);
    return Fail("expected exactly 5 fields, found " + std::to_string(fields.size()) + ": [" +
                listed + "]");
  }
  const Bounds bounds[5] = {{0, 59, nullptr}, {0, 23, nullptr}, {1, 31, nullptr},
                            {1, 12, &kMonths}, {0, 6, &kDays}};
  for (std::size_t i = 0; i < fields.size(); ++i) {
    // As upstream (strings.FieldsFunc), empty items between commas are skipped.
    for (std::string_view expr : Split(fields[i], ',')) {
      if (expr.empty()) continue;
      if (Result<void> checked = CheckRange(expr, bounds[i]); !checked) return checked;
    }
  }
  return {};
}

}  // namespace karpenter::api::internal
