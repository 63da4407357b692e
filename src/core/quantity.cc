// Printing and integer views of Quantity. Parsing lives in quantity_parse.cc.
#include "core/quantity.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace karpenter::core {
namespace {

constexpr UInt128 Magnitude(Int128 value) {
  return value < 0 ? static_cast<UInt128>(-value) : static_cast<UInt128>(value);
}

void AppendDigits(UInt128 value, std::string& out) {
  std::array<char, 40> buffer{};  // 2^128 has 39 decimal digits
  size_t size = 0;
  do {
    buffer[size++] = static_cast<char>('0' + static_cast<int>(value % 10));
    value /= 10;
  } while (value != 0);
  while (size > 0) out.push_back(buffer[--size]);
}

// Binary form ("1536Mi"), or nullopt when Kubernetes would fall back to DecimalSI: values
// between -1024 and 1024 (exclusive) and values with a fractional part.
std::optional<std::string> BinaryString(Int128 nano) {
  constexpr UInt128 kUnit = static_cast<UInt128>(Quantity::kNanoPerUnit);
  const UInt128 magnitude = Magnitude(nano);
  if (magnitude < 1024 * kUnit || magnitude % kUnit != 0) return std::nullopt;
  constexpr std::array<std::string_view, 7> kSuffixes = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  UInt128 units = magnitude / kUnit;
  size_t power = 0;
  // Upstream divides out every factor of 1024; stopping at Ei keeps a valid suffix for the
  // (arithmetic-only) values of 1024Ei and above, where upstream prints no suffix at all.
  while (power + 1 < kSuffixes.size() && units % 1024 == 0) {
    units /= 1024;
    ++power;
  }
  std::string out;
  if (nano < 0) out.push_back('-');
  AppendDigits(units, out);
  out.append(kSuffixes[power]);
  return out;
}

// Decimal suffix for a power of ten that is a multiple of three, as Kubernetes spells it.
void AppendDecimalSuffix(int exponent, Format format, std::string& out) {
  if (format == Format::kDecimalSI && exponent >= -9 && exponent <= 18) {
    constexpr std::array<std::string_view, 10> kSi = {"n", "u", "m", "",  "k",
                                                      "M", "G", "T", "P", "E"};
    out.append(kSi[static_cast<size_t>((exponent + 9) / 3)]);
    return;
  }
  // DecimalExponent, and DecimalSI beyond "E", which upstream also writes as e<exponent>.
  if (exponent == 0) return;
  out.push_back('e');
  out.append(std::to_string(exponent));
}

// Mantissa and exponent with every trailing zero moved into the exponent, then the exponent
// lowered to a multiple of three: the canonical decimal form ("1.5" -> 1500 * 10^-3).
std::string DecimalString(Int128 nano, Format format) {
  UInt128 mantissa = Magnitude(nano);
  int exponent = -9;
  while (mantissa % 10 == 0) {
    mantissa /= 10;
    ++exponent;
  }
  // Zeros removed above are put back until the exponent is a multiple of three; since -9 is
  // one, this never goes below the nano scale and cannot overflow.
  while (exponent % 3 != 0) {
    mantissa *= 10;
    --exponent;
  }
  std::string out;
  if (nano < 0) out.push_back('-');
  AppendDigits(mantissa, out);
  AppendDecimalSuffix(exponent, format, out);
  return out;
}

// nano / divisor, rounded up away from zero, saturated to the int64 range.
int64_t ScaleRoundingUp(Int128 nano, Int128 divisor) {
  Int128 quotient = nano / divisor;
  const Int128 remainder = nano % divisor;
  if (remainder > 0) ++quotient;
  if (remainder < 0) --quotient;
  quotient = std::clamp<Int128>(quotient, INT64_MIN, INT64_MAX);
  return static_cast<int64_t>(quotient);
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace

std::string_view FormatName(Format format) {
  switch (format) {
    case Format::kDecimalSI:
      return "DecimalSI";
    case Format::kBinarySI:
      return "BinarySI";
    case Format::kDecimalExponent:
      return "DecimalExponent";
  }
  return "DecimalSI";
}

std::string Quantity::ToString() const {
  if (nano_ == 0) return "0";
  if (format_ == Format::kBinarySI) {
    if (std::optional<std::string> binary = BinaryString(nano_)) return *std::move(binary);
    return DecimalString(nano_, Format::kDecimalSI);
  }
  return DecimalString(nano_, format_);
}

int64_t Quantity::Value() const { return ScaleRoundingUp(nano_, kNanoPerUnit); }

int64_t Quantity::MilliValue() const { return ScaleRoundingUp(nano_, 1'000'000); }

Result<Quantity> Quantity::ParseTrimmed(std::string_view text) {
  while (!text.empty() && IsAsciiSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsAsciiSpace(text.back())) text.remove_suffix(1);
  return Parse(text);
}

void PrintTo(const Quantity& quantity, std::ostream* out) {
  *out << quantity.ToString() << " (" << FormatName(quantity.format()) << ")";
}

}  // namespace karpenter::core
