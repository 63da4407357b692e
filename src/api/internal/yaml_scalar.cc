#include "api/internal/yaml_scalar.h"

#include <array>
#include <charconv>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstdint>
#include <optional>
#include <string>

namespace karpenter::api::internal {
namespace {

constexpr std::array<std::string_view, 5> kNulls = {"", "~", "null", "Null", "NULL"};
constexpr std::array<std::string_view, 9> kTrues = {"true", "True", "TRUE", "yes", "Yes",
                                                    "YES",  "on",   "On",   "ON"};
constexpr std::array<std::string_view, 9> kFalses = {"false", "False", "FALSE", "no", "No",
                                                     "NO",    "off",   "Off",   "OFF"};
constexpr std::array<std::string_view, 9> kSpecialFloats = {
    ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"};
constexpr std::array<std::string_view, 3> kNaNs = {".nan", ".NaN", ".NAN"};

template <std::size_t N>
bool OneOf(std::string_view text, const std::array<std::string_view, N>& words) {
  for (std::string_view w : words) {
    if (text == w) return true;
  }
  return false;
}

bool IsDigitIn(char c, int base) {
  if (base == 16) return std::isxdigit(static_cast<unsigned char>(c));
  return c >= '0' && c < '0' + base;
}

// Integer forms accepted by Go's strconv.ParseInt(s, 0, 64) after go-yaml strips `_`.
std::optional<Json> ParseInteger(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c != '_') digits.push_back(c);
  }
  std::string_view s = digits;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16, s.remove_prefix(2);
  } else if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) {
    base = 8, s.remove_prefix(2);
  } else if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
    base = 2, s.remove_prefix(2);
  } else if (s.size() > 1 && s[0] == '0') {
    base = 8, s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  for (char c : s) {
    if (!IsDigitIn(c, base)) return std::nullopt;
  }
  std::uint64_t magnitude = 0;
  auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), magnitude, base);
  if (error != std::errc() || end != s.data() + s.size()) return std::nullopt;
  if (!negative) {
    if (magnitude <= static_cast<std::uint64_t>(INT64_MAX)) {
      return Json(static_cast<std::int64_t>(magnitude));
    }
    return Json(magnitude);
  }
  if (magnitude <= static_cast<std::uint64_t>(INT64_MAX) + 1) {
    return Json(static_cast<std::int64_t>(0 - magnitude));
  }
  return std::nullopt;
}

// go-yaml's float form: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool LooksLikeFloat(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

}  // namespace

Result<Json> ResolvePlainScalar(std::string_view text) {
  if (OneOf(text, kNulls)) return Json(nullptr);
  if (OneOf(text, kTrues)) return Json(true);
  if (OneOf(text, kFalses)) return Json(false);
  if (OneOf(text, kSpecialFloats) || OneOf(text, kNaNs)) {
    return Fail("value " + std::string(text) + " (infinity or NaN) cannot be represented in JSON");
  }
  if (auto integer = ParseInteger(text)) return *integer;
  if (LooksLikeFloat(text)) {
    std::string copy(text);
    double value = std::strtod(copy.c_str(), nullptr);
    if (!std::isfinite(value)) return Fail("number " + copy + " is out of range");
    return Json(value);
  }
  return Json(std::string(text));
}

bool PlainScalarNeedsQuotes(std::string_view text) {
  auto resolved = ResolvePlainScalar(text);
  if (!resolved || !resolved->is_string()) return true;
  if (text.empty()) return true;
  // Characters that start YAML syntax, or trailing/leading space, change the meaning.
  static constexpr std::string_view kSpecialStarts = "-?:,[]{}#&*!|>'\"%@`";
  if (kSpecialStarts.find(text.front()) != std::string_view::npos) return true;
  if (text.front() == ' ' || text.back() == ' ') return true;
  if (text.find(": ") != std::string_view::npos || text.find(" #") != std::string_view::npos) {
    return true;
  }
  if (text.back() == ':') return true;
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return text == "<<" || text == "y" || text == "Y" || text == "n" || text == "N";
}

bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    int extra = -1;
    if (c < 0x80) {
      extra = 0;
    } else if (c >= 0xc2 && c <= 0xdf) {  // 0xc0 and 0xc1 would be overlong
      extra = 1;
    } else if ((c >> 4) == 0xe) {
      extra = 2;
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3;
    }
    if (extra < 0 || i + extra >= text.size() + (extra == 0 ? 1 : 0)) return false;
    for (int k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return false;
    }
    // Overlong three- and four-byte forms, surrogates and code points past U+10FFFF are
    // invalid, as Go's utf8.Valid says.
    if (extra >= 2) {
      const unsigned char c1 = static_cast<unsigned char>(text[i + 1]);
      if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0) || (c == 0xf0 && c1 < 0x90) ||
          (c == 0xf4 && c1 >= 0x90)) {
        return false;
      }
    }
    i += extra + 1;
  }
  return true;
}

}  // namespace karpenter::api::internal
