// Quantity::Parse: Kubernetes' quantity grammar, evaluated exactly in integers.
//
// The text is split the way upstream's scanner splits it: [sign] digits [. digits], then a
// suffix made of letters from "eEinumkKMGTP", an optional sign and digits. The suffix is then
// interpreted (n..E, Ki..Ei, or e<exponent>). The value is evaluated as a decimal digit string
// times a power of ten: a binary suffix first multiplies the digit string by 2^k, which keeps
// everything exact without big-number arithmetic.
#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/quantity.h"

namespace karpenter::core {
namespace {

constexpr std::string_view kExpected =
    "a quantity is an optional sign, digits with an optional fraction, and an optional "
    "suffix: n u m k M G T P E, Ki Mi Gi Ti Pi Ei, or e<exponent> (e.g. 100m, 1.5Gi, 2e3)";

// Exponents are clamped here: any larger one already overflows (or rounds to 1n), and the
// clamp keeps the arithmetic below far from int64 limits.
constexpr int64_t kExponentLimit = 1'000'000;

struct Pieces {
  bool negative = false;
  std::string_view whole;     // digits before the point
  std::string_view fraction;  // digits after the point
  std::string_view suffix;
};

struct Suffix {
  bool binary = false;  // true: times 2^exponent; false: times 10^exponent
  int64_t exponent = 0;
  Format format = Format::kDecimalSI;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsSuffixLetter(char c) {
  return std::string_view("eEinumkKMGTP").find(c) != std::string_view::npos;
}

std::string Describe(char c) {
  if (c >= 0x21 && c <= 0x7e) return std::string("'") + c + "'";
  if (c == ' ') return "a space";
  constexpr std::string_view kHex = "0123456789abcdef";
  const auto byte = static_cast<unsigned char>(c);
  return std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 0xf];
}

std::unexpected<Error> Invalid(std::string_view text, const std::string& reason) {
  return Fail("invalid quantity \"" + std::string(text) + "\": " + reason + "; " +
              std::string(kExpected));
}

size_t SkipDigits(std::string_view text, size_t pos) {
  while (pos < text.size() && IsDigit(text[pos])) ++pos;
  return pos;
}

Result<Pieces> Split(std::string_view text) {
  if (text.empty()) return Invalid(text, "empty string");
  Pieces pieces;
  size_t pos = 0;
  if (text[0] == '+' || text[0] == '-') {
    pieces.negative = text[0] == '-';
    ++pos;
  }
  size_t start = pos;
  pos = SkipDigits(text, pos);
  pieces.whole = text.substr(start, pos - start);
  if (pos < text.size() && text[pos] == '.') {
    start = ++pos;
    pos = SkipDigits(text, pos);
    pieces.fraction = text.substr(start, pos - start);
  }
  if (pieces.whole.empty() && pieces.fraction.empty()) {
    // Upstream reads a number without digits as zero; we reject it as the typo it is.
    if (pos < text.size()) {
      return Invalid(text, "expected a digit at offset " + std::to_string(pos) + ", found " +
                               Describe(text[pos]));
    }
    return Invalid(text, "the number has no digits");
  }
  start = pos;
  while (pos < text.size() && IsSuffixLetter(text[pos])) ++pos;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
  pos = SkipDigits(text, pos);
  if (pos < text.size()) {
    return Invalid(text, "unexpected " + Describe(text[pos]) + " at offset " + std::to_string(pos));
  }
  pieces.suffix = text.substr(start);
  return pieces;
}

// The exponent after e/E: an optional sign and at least one digit, as Go's ParseInt reads
// it ("3", "-3", "+3"); its magnitude is clamped to kExponentLimit.
std::optional<int64_t> ParseExponent(std::string_view digits) {
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), IsDigit)) return std::nullopt;
  int64_t value = 0;
  for (char c : digits) value = std::min(kExponentLimit, value * 10 + (c - '0'));
  return negative ? -value : value;
}

std::optional<Suffix> Interpret(std::string_view suffix) {
  struct Named {
    std::string_view name;
    Suffix suffix;
  };
  static constexpr std::array<Named, 16> kNamed = {{
      {"", {false, 0, Format::kDecimalSI}},
      {"n", {false, -9, Format::kDecimalSI}},
      {"u", {false, -6, Format::kDecimalSI}},
      {"m", {false, -3, Format::kDecimalSI}},
      {"k", {false, 3, Format::kDecimalSI}},
      {"M", {false, 6, Format::kDecimalSI}},
      {"G", {false, 9, Format::kDecimalSI}},
      {"T", {false, 12, Format::kDecimalSI}},
      {"P", {false, 15, Format::kDecimalSI}},
      {"E", {false, 18, Format::kDecimalSI}},
      {"Ki", {true, 10, Format::kBinarySI}},
      {"Mi", {true, 20, Format::kBinarySI}},
      {"Gi", {true, 30, Format::kBinarySI}},
      {"Ti", {true, 40, Format::kBinarySI}},
      {"Pi", {true, 50, Format::kBinarySI}},
      {"Ei", {true, 60, Format::kBinarySI}},
  }};
  for (const Named& named : kNamed) {
    if (named.name == suffix) return named.suffix;
  }
  // A named suffix wins first, so "E" alone is Exa and "E3" is an exponent.
  if (suffix.size() > 1 && (suffix[0] == 'e' || suffix[0] == 'E')) {
    if (std::optional<int64_t> exponent = ParseExponent(suffix.substr(1))) {
      return Suffix{false, *exponent, Format::kDecimalExponent};
    }
  }
  return std::nullopt;
}

// digits * 2^power as a decimal digit string, for 0 <= power <= 60: one pass from the least
// significant digit, where digit * 2^60 + carry always fits 64 bits.
std::string MultiplyByPowerOfTwo(std::string_view digits, int power) {
  const uint64_t factor = uint64_t{1} << power;
  std::string reversed;
  reversed.reserve(digits.size() + 20);
  uint64_t carry = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    const uint64_t product = static_cast<uint64_t>(*it - '0') * factor + carry;
    reversed.push_back(static_cast<char>('0' + product % 10));
    carry = product / 10;
  }
  for (; carry != 0; carry /= 10) reversed.push_back(static_cast<char>('0' + carry % 10));
  return std::string(reversed.rbegin(), reversed.rend());
}

// ceil(digits * 10^exponent * 10^9): the magnitude in nano-units, rounded up as upstream
// does so that a tiny request still asks for something. nullopt above kMaxNano.
std::optional<UInt128> ToNanoRoundingUp(std::string_view digits, int64_t exponent) {
  constexpr UInt128 kLimit = static_cast<UInt128>(Quantity::kMaxNano);
  digits.remove_prefix(std::min(digits.find_first_not_of('0'), digits.size()));
  const int64_t shift = exponent + 9;
  const int64_t size = static_cast<int64_t>(digits.size());
  const auto integral = static_cast<size_t>(shift >= 0 ? size : std::max<int64_t>(0, size + shift));
  UInt128 value = 0;
  for (size_t i = 0; i < integral; ++i) {
    const auto digit = static_cast<UInt128>(digits[i] - '0');
    if (value > (kLimit - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  // Appending zeros overflows within 39 steps of a non-zero value, so this loop is short.
  for (int64_t i = 0; value != 0 && i < shift; ++i) {
    if (value > kLimit / 10) return std::nullopt;
    value *= 10;
  }
  const std::string_view below_nano = digits.substr(integral);
  if (below_nano.find_first_not_of('0') != std::string_view::npos) {
    if (value == kLimit) return std::nullopt;
    ++value;
  }
  return value;
}

}  // namespace

Result<Quantity> Quantity::Parse(std::string_view text) {
  Result<Pieces> pieces = Split(text);
  if (!pieces) return std::unexpected(std::move(pieces.error()));
  const std::optional<Suffix> suffix = Interpret(pieces->suffix);
  if (!suffix) {
    return Invalid(text, "unknown suffix \"" + std::string(pieces->suffix) + "\"");
  }
  // The number is whole.fraction = digits * 10^-len(fraction).
  std::string digits = std::string(pieces->whole) + std::string(pieces->fraction);
  int64_t exponent = -static_cast<int64_t>(pieces->fraction.size());
  if (suffix->binary) {
    digits = MultiplyByPowerOfTwo(digits, static_cast<int>(suffix->exponent));
  } else {
    exponent += suffix->exponent;
  }
  std::optional<UInt128> magnitude = ToNanoRoundingUp(digits, exponent);
  Format format = suffix->format;
  if (format == Format::kBinarySI) {
    // As upstream: binary values are capped silently, and a fraction of a unit is not
    // printable in binary, so it becomes DecimalSI.
    const auto cap = static_cast<UInt128>(kBinarySICapNano);
    if (!magnitude || *magnitude > cap) magnitude = cap;
    if (*magnitude != 0 && *magnitude < static_cast<UInt128>(kNanoPerUnit)) {
      format = Format::kDecimalSI;
    }
  }
  if (!magnitude) {
    return Invalid(text, "the value is too large (the limit is about 1.7e29)");
  }
  const auto nano = static_cast<Int128>(*magnitude);
  return Quantity(pieces->negative ? -nano : nano, format);
}

}  // namespace karpenter::core
