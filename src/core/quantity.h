// Quantity: an exact, fixed-point amount of a resource (CPU, memory, pods, ...), with the
// parsing, printing and arithmetic of Kubernetes' resource.Quantity
// (k8s.io/apimachinery/pkg/api/resource). No floating point is used anywhere.
//
// The value is a signed count of nano-units (10^-9) in 128 bits, which covers every value
// Kubernetes can parse at nano precision up to about 1.7e29 units. Like upstream, a quantity
// remembers the Format of the suffix it was written with, so it prints back in the same style.
#pragma once

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "core/result.h"

namespace karpenter::core {

// GCC's 128-bit integers; __extension__ keeps -Wpedantic quiet under -std=c++23.
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

// How a quantity prints, as in Kubernetes: the three styles of suffix.
enum class Format {
  kDecimalSI,        // 12M (12 * 10^6), 100m, 1k
  kBinarySI,         // 12Mi (12 * 2^20)
  kDecimalExponent,  // 12e6
};

// "DecimalSI", "BinarySI" or "DecimalExponent", as Kubernetes names them.
std::string_view FormatName(Format format);

class Quantity {
 public:
  static constexpr Int128 kNanoPerUnit = 1'000'000'000;
  // The largest magnitude a Quantity holds (2^127 - 1 nano-units). Arithmetic saturates here
  // instead of overflowing; upstream has no limit (big decimals), but no real cluster gets
  // anywhere near 1.7e29 units.
  static constexpr Int128 kMaxNano = static_cast<Int128>(~static_cast<UInt128>(0) >> 1);
  // Kubernetes silently caps a parsed BinarySI quantity at 2^63-1 units ("8Ei" parses as
  // 9223372036854775807); decimal quantities are not capped.
  static constexpr Int128 kBinarySICapNano = Int128{INT64_MAX} * kNanoPerUnit;

  // Zero, DecimalSI.
  constexpr Quantity() = default;

  // Parses a quantity the way Kubernetes' ParseQuantity does: an optional sign, digits with
  // an optional fraction ("1.5", ".5", "5."), and an optional suffix: decimal SI
  // (n u m "" k M G T P E), binary SI (Ki Mi Gi Ti Pi Ei) or a decimal exponent
  // ("1e3", "1E-3", "2e+6"; "1E" alone is 1 Exa). A value finer than 1n is rounded up away
  // from zero ("0.1n" is 1n); a BinarySI value above 2^63-1 is capped there; a BinarySI value
  // strictly between -1 and 1 becomes DecimalSI. Whitespace is not trimmed.
  // Unlike upstream, text without any digit ("", ".", "+", "e3") is an error rather than zero,
  // and a decimal value beyond kMaxNano is an error rather than a big decimal.
  // JSON/YAML numbers (1, 1.5, 1e3) are parsed by passing their source text here, which is
  // what upstream's UnmarshalJSON does.
  static Result<Quantity> Parse(std::string_view text);

  // Parse after trimming leading and trailing ASCII whitespace, as upstream's UnmarshalJSON
  // does for both quoted strings and bare numbers (`" 1"` decodes to 1). Codecs use this.
  static Result<Quantity> ParseTrimmed(std::string_view text);

  // value units, in the given format (upstream NewQuantity).
  static constexpr Quantity FromInt(int64_t value, Format format = Format::kDecimalSI) {
    return Quantity(Int128{value} * kNanoPerUnit, format);
  }
  // milli / 1000 units (upstream NewMilliQuantity).
  static constexpr Quantity FromMilli(int64_t milli, Format format = Format::kDecimalSI) {
    return Quantity(Int128{milli} * 1'000'000, format);
  }
  // nano / 10^9 units, clamped to [-kMaxNano, kMaxNano].
  static constexpr Quantity FromNano(Int128 nano, Format format = Format::kDecimalSI) {
    return Quantity(Clamp(nano), format);
  }

  // The canonical text Kubernetes prints (String()/MarshalJSON): "0" for zero; otherwise the
  // largest suffix that loses no precision and leaves no fraction ("1.5" -> "1500m",
  // "1000" -> "1k", "1.5Gi" -> "1536Mi", "1e3" stays "1e3"). BinarySI prints in binary only
  // for integral values with magnitude >= 1024, else as DecimalSI ("0.5Ki" -> "512").
  // Two deliberate differences: upstream echoes a parsed string it deems canonical verbatim
  // (so "+1" or "1E3" print as written), we always print the canonical form; and binary
  // values of 1024Ei and above print as "<n>Ei" where upstream prints a broken string.
  std::string ToString() const;

  // The value in units, rounded up away from zero ("1.5" -> 2, "-1.5" -> -2, "1n" -> 1), as
  // upstream Value(). Saturates at the int64 range (where upstream overflows).
  int64_t Value() const;
  // The value in milli-units, rounded up away from zero ("1n" -> 1), as upstream
  // MilliValue(). Saturates at the int64 range.
  int64_t MilliValue() const;

  constexpr Int128 Nano() const { return nano_; }
  constexpr bool IsZero() const { return nano_ == 0; }
  // -1, 0 or 1.
  constexpr int Sign() const { return nano_ < 0 ? -1 : (nano_ > 0 ? 1 : 0); }
  constexpr Format format() const { return format_; }
  // The same value, printed in another format.
  constexpr Quantity WithFormat(Format format) const { return Quantity(nano_, format); }

  // Exact sums and differences (saturating at kMaxNano). As upstream Add/Sub, the result has
  // the left operand's format, unless the left operand is zero: then it takes the right's
  // (so 0 + 1Gi prints "1Gi").
  friend constexpr Quantity operator+(const Quantity& a, const Quantity& b) {
    return Quantity(SaturatingAdd(a.nano_, b.nano_), a.nano_ == 0 ? b.format_ : a.format_);
  }
  friend constexpr Quantity operator-(const Quantity& a, const Quantity& b) {
    return Quantity(SaturatingAdd(a.nano_, -b.nano_), a.nano_ == 0 ? b.format_ : a.format_);
  }
  constexpr Quantity operator-() const { return Quantity(-nano_, format_); }
  constexpr Quantity& operator+=(const Quantity& other) { return *this = *this + other; }
  constexpr Quantity& operator-=(const Quantity& other) { return *this = *this - other; }

  // The value times factor, keeping the format (upstream Mul); saturates at kMaxNano.
  constexpr Quantity MultipliedBy(int64_t factor) const {
    Int128 product = 0;
    if (__builtin_mul_overflow(nano_, Int128{factor}, &product)) {
      product = ((nano_ < 0) != (factor < 0)) ? -kMaxNano : kMaxNano;
    }
    return Quantity(Clamp(product), format_);
  }

  // Comparisons look at the value only: 1Gi == 1073741824 and 1000m == 1.
  friend constexpr bool operator==(const Quantity& a, const Quantity& b) {
    return a.nano_ == b.nano_;
  }
  friend constexpr std::strong_ordering operator<=>(const Quantity& a, const Quantity& b) {
    return a.nano_ < b.nano_   ? std::strong_ordering::less
           : a.nano_ > b.nano_ ? std::strong_ordering::greater
                               : std::strong_ordering::equal;
  }

 private:
  constexpr Quantity(Int128 nano, Format format) : nano_(nano), format_(format) {}

  static constexpr Int128 Clamp(Int128 nano) {
    return nano > kMaxNano ? kMaxNano : (nano < -kMaxNano ? -kMaxNano : nano);
  }
  static constexpr Int128 SaturatingAdd(Int128 a, Int128 b) {
    Int128 sum = 0;
    if (__builtin_add_overflow(a, b, &sum)) return b > 0 ? kMaxNano : -kMaxNano;
    return Clamp(sum);
  }

  Int128 nano_ = 0;  // always within [-kMaxNano, kMaxNano]
  Format format_ = Format::kDecimalSI;
};

// Prints the canonical text; lets GoogleTest show quantities in failure messages.
void PrintTo(const Quantity& quantity, std::ostream* out);

}  // namespace karpenter::core
