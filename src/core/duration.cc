#include "core/duration.h"

#include <cstdint>

namespace karpenter::core {
namespace {

constexpr uint64_t kTwoTo63 = uint64_t{1} << 63;  // |INT64_MIN|

// Quotes text as Go's time package does in its errors: bytes outside printable ASCII become
// \xNN, quotes and backslashes are escaped.
std::string GoQuote(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 || byte < 0x20) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Nanoseconds per unit; 0 for an unknown unit.
uint64_t UnitNanos(std::string_view unit) {
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "\u00b5s" || unit == "\u03bcs") return 1'000;
  if (unit == "ms") return 1'000'000;
  if (unit == "s") return 1'000'000'000;
  if (unit == "m") return 60'000'000'000;
  if (unit == "h") return 3'600'000'000'000;
  return 0;
}

// Consumes leading digits into `value`; false on overflow past 2^63.
bool LeadingInt(std::string_view& s, uint64_t& value) {
  value = 0;
  size_t i = 0;
  for (; i < s.size() && IsDigit(s[i]); ++i) {
    if (value > kTwoTo63 / 10) return false;
    value = value * 10 + static_cast<uint64_t>(s[i] - '0');
    if (value > kTwoTo63) return false;
  }
  s.remove_prefix(i);
  return true;
}

// Consumes leading fraction digits; digits beyond what fits are consumed but ignored.
void LeadingFraction(std::string_view& s, uint64_t& value, double& scale) {
  value = 0;
  scale = 1;
  bool overflow = false;
  size_t i = 0;
  for (; i < s.size() && IsDigit(s[i]); ++i) {
    if (overflow) continue;
    if (value > (kTwoTo63 - 1) / 10) {
      overflow = true;
      continue;
    }
    const uint64_t next = value * 10 + static_cast<uint64_t>(s[i] - '0');
    if (next > kTwoTo63) {
      overflow = true;
      continue;
    }
    value = next;
    scale *= 10;
  }
  s.remove_prefix(i);
}

// One "<number><unit>" term added to `total`. Returns an error message, or "" on success.
std::string ParseTerm(std::string_view& s, std::string_view original, uint64_t& total) {
  const std::string invalid = "time: invalid duration " + GoQuote(original);
  if (!(s.front() == '.' || IsDigit(s.front()))) return invalid;
  const size_t before_int = s.size();
  uint64_t whole = 0;
  if (!LeadingInt(s, whole)) return invalid;
  const bool has_int = s.size() != before_int;
  uint64_t fraction = 0;
  double scale = 1;
  bool has_fraction = false;
  if (!s.empty() && s.front() == '.') {
    s.remove_prefix(1);
    const size_t before_fraction = s.size();
    LeadingFraction(s, fraction, scale);
    has_fraction = s.size() != before_fraction;
  }
  if (!has_int && !has_fraction) return invalid;  // ".s", "-.s"

  size_t unit_len = 0;
  while (unit_len < s.size() && s[unit_len] != '.' && !IsDigit(s[unit_len])) ++unit_len;
  if (unit_len == 0) return "time: missing unit in duration " + GoQuote(original);
  const std::string_view unit_text = s.substr(0, unit_len);
  s.remove_prefix(unit_len);
  const uint64_t unit = UnitNanos(unit_text);
  if (unit == 0) {
    return "time: unknown unit " + GoQuote(unit_text) + " in duration " + GoQuote(original);
  }
  if (whole > kTwoTo63 / unit) return invalid;
  uint64_t term = whole * unit;
  if (fraction > 0) {
    // As Go: a double keeps fractions of an hour exact to the nanosecond.
    term +=
        static_cast<uint64_t>(static_cast<double>(fraction) * (static_cast<double>(unit) / scale));
    if (term > kTwoTo63) return invalid;
  }
  total += term;
  if (total > kTwoTo63) return invalid;
  return "";
}

// Writes v / 10^precision's fractional digits (without trailing zeros, with the point) to the
// front of `out`, and returns v / 10^precision.
uint64_t PrependFraction(std::string& out, uint64_t v, int precision) {
  std::string digits;
  bool printing = false;
  for (int i = 0; i < precision; ++i) {
    const auto digit = static_cast<char>('0' + v % 10);
    printing = printing || digit != '0';
    if (printing) digits.insert(digits.begin(), digit);
    v /= 10;
  }
  if (printing) out.insert(0, "." + digits);
  return v;
}

void PrependInt(std::string& out, uint64_t v) { out.insert(0, std::to_string(v)); }

}  // namespace

Result<std::chrono::nanoseconds> ParseGoDuration(std::string_view text) {
  const std::string_view original = text;
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return std::chrono::nanoseconds(0);
  if (s.empty()) return Fail("time: invalid duration " + GoQuote(original));
  uint64_t total = 0;
  while (!s.empty()) {
    std::string error = ParseTerm(s, original, total);
    if (!error.empty()) return Fail(std::move(error));
  }
  if (negative) {
    // -2^63 is representable; compute it without overflowing int64.
    return std::chrono::nanoseconds(static_cast<int64_t>(0 - total));
  }
  if (total > kTwoTo63 - 1) return Fail("time: invalid duration " + GoQuote(original));
  return std::chrono::nanoseconds(static_cast<int64_t>(total));
}

std::string FormatGoDuration(std::chrono::nanoseconds duration) {
  const int64_t count = duration.count();
  const bool negative = count < 0;
  // Magnitude as unsigned so that INT64_MIN formats too.
  uint64_t u = negative ? 0 - static_cast<uint64_t>(count) : static_cast<uint64_t>(count);
  std::string out;
  if (u < 1'000'000'000) {
    // Under a second Go switches to the largest unit below it: ns, µs or ms.
    if (u == 0) return "0s";
    int precision = 0;
    if (u < 1'000) {
      out = "ns";
    } else if (u < 1'000'000) {
      out = "\u00b5s";
      precision = 3;
    } else {
      out = "ms";
      precision = 6;
    }
    u = PrependFraction(out, u, precision);
    PrependInt(out, u);
  } else {
    out = "s";
    u = PrependFraction(out, u, 9);
    PrependInt(out, u % 60);
    u /= 60;  // minutes
    if (u > 0) {
      out.insert(0, "m");
      PrependInt(out, u % 60);
      u /= 60;  // hours
      if (u > 0) {
        out.insert(0, "h");
        PrependInt(out, u);
      }
    }
  }
  if (negative) out.insert(0, "-");
  return out;
}

Result<NillableDuration> NillableDuration::Parse(std::string_view text) {
  if (text == "Never") return NillableDuration::Never();
  Result<std::chrono::nanoseconds> duration = ParseGoDuration(text);
  if (!duration) return std::unexpected(duration.error());
  return NillableDuration(*duration);
}

std::string NillableDuration::ToString() const {
  return duration_ ? FormatGoDuration(*duration_) : std::string("Never");
}

}  // namespace karpenter::core
