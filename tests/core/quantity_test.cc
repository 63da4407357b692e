// Quantity parsing, printing, rounding and arithmetic. Expected values follow Kubernetes'
// resource.Quantity behaviour (the cases in apimachinery's quantity_test.go and its docs).
#include "core/quantity.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace karpenter::core {
namespace {

constexpr Int128 kNano = 1;
constexpr Int128 kMicro = 1'000;
constexpr Int128 kMilli = 1'000'000;
constexpr Int128 kUnit = 1'000'000'000;
constexpr Int128 kKi = 1024 * kUnit;
constexpr Int128 kMi = 1024 * kKi;
constexpr Int128 kGi = 1024 * kMi;
constexpr Int128 kTi = 1024 * kGi;
constexpr Int128 kPi = 1024 * kTi;
constexpr Int128 kEi = 1024 * kPi;
constexpr Int128 kExa = Int128{1'000'000'000'000'000'000} * kUnit;

constexpr Format kDec = Format::kDecimalSI;
constexpr Format kBin = Format::kBinarySI;
constexpr Format kExp = Format::kDecimalExponent;

Quantity Q(std::string_view text) {
  Result<Quantity> parsed = Quantity::Parse(text);
  EXPECT_TRUE(parsed.has_value()) << text << ": " << (parsed ? "" : parsed.error().message);
  return parsed.value_or(Quantity());
}

struct ParseCase {
  std::string_view input;
  Int128 nano;
  Format format;
  std::string_view canonical;
};

const std::vector<ParseCase>& ParseCases() {
  static const std::vector<ParseCase> kCases = {
      // Zero in every spelling prints "0" and keeps the suffix's format.
      {"0", 0, kDec, "0"},
      {"0n", 0, kDec, "0"},
      {"0u", 0, kDec, "0"},
      {"0m", 0, kDec, "0"},
      {"0k", 0, kDec, "0"},
      {"0M", 0, kDec, "0"},
      {"0G", 0, kDec, "0"},
      {"0T", 0, kDec, "0"},
      {"0Ki", 0, kBin, "0"},
      {"0Mi", 0, kBin, "0"},
      {"0Gi", 0, kBin, "0"},
      {"0Ti", 0, kBin, "0"},
      {"0e3", 0, kExp, "0"},
      {"-0", 0, kDec, "0"},
      {"00.000", 0, kDec, "0"},
      // Every decimal SI suffix.
      {"5n", 5 * kNano, kDec, "5n"},
      {"4u", 4 * kMicro, kDec, "4u"},
      {"3m", 3 * kMilli, kDec, "3m"},
      {"9", 9 * kUnit, kDec, "9"},
      {"8k", 8'000 * kUnit, kDec, "8k"},
      {"50k", 50'000 * kUnit, kDec, "50k"},
      {"7M", 7'000'000 * kUnit, kDec, "7M"},
      {"6G", 6'000'000'000 * kUnit, kDec, "6G"},
      {"5T", 5'000'000'000'000 * kUnit, kDec, "5T"},
      {"40T", 40'000'000'000'000 * kUnit, kDec, "40T"},
      {"300T", 300'000'000'000'000 * kUnit, kDec, "300T"},
      {"2P", 2'000'000'000'000'000 * kUnit, kDec, "2P"},
      {"1E", kExa, kDec, "1E"},
      {"12E", 12 * kExa, kDec, "12E"},
      {"1000E", 1000 * kExa, kDec, "1e21"},  // no SI suffix beyond E
      // Every binary SI suffix.
      {"1Ki", kKi, kBin, "1Ki"},
      {"8Ki", 8 * kKi, kBin, "8Ki"},
      {"7Mi", 7 * kMi, kBin, "7Mi"},
      {"6Gi", 6 * kGi, kBin, "6Gi"},
      {"5Ti", 5 * kTi, kBin, "5Ti"},
      {"10Ti", 10 * kTi, kBin, "10Ti"},
      {"100Ti", 100 * kTi, kBin, "100Ti"},
      {"4Pi", 4 * kPi, kBin, "4Pi"},
      {"3Ei", 3 * kEi, kBin, "3Ei"},
      {"7Ei", 7 * kEi, kBin, "7Ei"},
      {"1024Mi", kGi, kBin, "1Gi"},
      {"1048576Ki", kGi, kBin, "1Gi"},
      {"1025Mi", 1025 * kMi, kBin, "1025Mi"},
      {"1000Ki", 1000 * kKi, kBin, "1000Ki"},
      {"1.5Gi", 1536 * kMi, kBin, "1536Mi"},
      {"-1.5Gi", -1536 * kMi, kBin, "-1536Mi"},
      {"1.5Ki", 1536 * kUnit, kBin, "1536"},  // no binary suffix fits: plain number
      {"0.5Ki", 512 * kUnit, kBin, "512"},    // below 1024: printed as DecimalSI
      {"0.5Mi", 512 * kKi, kBin, "512Ki"},
      // Fractional binary values that are not whole units print as DecimalSI.
      {"100.035Ki", 102'435'840 * kMilli, kBin, "102435840m"},
      {"0.05Gi", 53'687'091'200 * kMilli, kBin, "53687091200m"},
      {"0.025Ti", 27'487'790'694'400 * kMilli, kBin, "27487790694400m"},
      {".001Ki", 1024 * kMilli, kBin, "1024m"},
      // A binary value strictly between -1 and 1 becomes DecimalSI.
      {".000001Ki", 1024 * kNano * 1000, kDec, "1024u"},
      {".000000001Ki", 1024 * kNano, kDec, "1024n"},
      {".000000000001Ki", 2 * kNano, kDec, "2n"},  // 1.024n rounds up
      // Decimal exponents.
      {"1E-3", kMilli, kExp, "1e-3"},
      {"1e-3", kMilli, kExp, "1e-3"},
      {"1e3", 1000 * kUnit, kExp, "1e3"},
      {"1E6", 1'000'000 * kUnit, kExp, "1e6"},
      {"1e9", 1'000'000'000 * kUnit, kExp, "1e9"},
      {"1E12", 1'000'000'000'000 * kUnit, kExp, "1e12"},
      {"1e15", 1'000'000'000'000'000 * kUnit, kExp, "1e15"},
      {"1E18", kExa, kExp, "1e18"},
      {"1e13", 10'000'000'000'000 * kUnit, kExp, "10e12"},
      {"1e14", 100'000'000'000'000 * kUnit, kExp, "100e12"},
      {"2e+6", 2'000'000 * kUnit, kExp, "2e6"},
      {"1e21", 1000 * kExa, kExp, "1e21"},
      {"1.2e3", 1200 * kUnit, kExp, "1200"},
      {"1.3E+6", 1'300'000 * kUnit, kExp, "1300e3"},
      {"1.40e9", 1'400'000'000 * kUnit, kExp, "1400e6"},
      {"1.53E12", 1'530'000'000'000 * kUnit, kExp, "1530e9"},
      {"1.6e15", 1'600'000'000'000'000 * kUnit, kExp, "1600e12"},
      {"1.7E18", 17 * kExa / 10, kExp, "1700e15"},
      {"0.5e0", 500 * kMilli, kExp, "500e-3"},
      {"0.5e-1", 50 * kMilli, kExp, "50e-3"},
      {"0.5e-2", 5 * kMilli, kExp, "5e-3"},
      {"80e-3", 80 * kMilli, kExp, "80e-3"},
      {"1000e-12", kNano, kExp, "1e-9"},
      {".001e12", 1'000'000'000 * kUnit, kExp, "1e9"},
      {"0.001e0", kMilli, kExp, "1e-3"},
      // Fractions and the canonical decimal form.
      {"1.5", 1500 * kMilli, kDec, "1500m"},
      {"-1.5", -1500 * kMilli, kDec, "-1500m"},
      {"0.1", 100 * kMilli, kDec, "100m"},
      {"1000", 1000 * kUnit, kDec, "1k"},
      {"-1000", -1000 * kUnit, kDec, "-1k"},
      {"2000m", 2 * kUnit, kDec, "2"},
      {"1000M", 1'000'000'000 * kUnit, kDec, "1G"},
      {"0.001", kMilli, kDec, "1m"},
      {"0.0005k", 500 * kMilli, kDec, "500m"},
      {"0.005", 5 * kMilli, kDec, "5m"},
      {"0.05", 50 * kMilli, kDec, "50m"},
      {"0.5", 500 * kMilli, kDec, "500m"},
      {"0.00050k", 500 * kMilli, kDec, "500m"},
      {"0.00500", 5 * kMilli, kDec, "5m"},
      {"0.50000", 500 * kMilli, kDec, "500m"},
      {"9.01", 9010 * kMilli, kDec, "9010m"},
      {"8.1k", 8100 * kUnit, kDec, "8100"},
      {"100.035k", 100'035 * kUnit, kDec, "100035"},
      {"10.035M", 10'035'000 * kUnit, kDec, "10035k"},
      {"7.123456M", 7'123'456 * kUnit, kDec, "7123456"},
      {"6.987654321G", 6'987'654'321 * kUnit, kDec, "6987654321"},
      {"5.444T", 5'444'000'000'000 * kUnit, kDec, "5444G"},
      {"40.1T", 40'100'000'000'000 * kUnit, kDec, "40100G"},
      {"2.5P", 2'500'000'000'000'000 * kUnit, kDec, "2500T"},
      {"1.01E", 101 * kExa / 100, kDec, "1010P"},
      {"1080m", 1080 * kMilli, kDec, "1080m"},
      {"1.08", 1080 * kMilli, kDec, "1080m"},
      {"100m", 100 * kMilli, kDec, "100m"},
      {"1000u", kMilli, kDec, "1m"},
      {"1080000000n", 1080 * kMilli, kDec, "1080m"},
      {"0.001T", 1'000'000'000 * kUnit, kDec, "1G"},
      {"1n", kNano, kDec, "1n"},
      {"+1", kUnit, kDec, "1"},
      {"+1.5Gi", 1536 * kMi, kBin, "1536Mi"},
      {".001", kMilli, kDec, "1m"},
      {".0001k", 100 * kMilli, kDec, "100m"},
      {"1.", kUnit, kDec, "1"},
      {"1.G", 1'000'000'000 * kUnit, kDec, "1G"},
      {"0001.5000", 1500 * kMilli, kDec, "1500m"},
      // Precision below 1n rounds up, away from zero.
      {"3.001n", 4 * kNano, kDec, "4n"},
      {"1.1E-9", 2 * kNano, kExp, "2e-9"},
      {"0.0000000001", kNano, kDec, "1n"},
      {"0.0000000005", kNano, kDec, "1n"},
      {"0.00000000050", kNano, kDec, "1n"},
      {"0.5e-9", kNano, kExp, "1e-9"},
      {"0.9n", kNano, kDec, "1n"},
      {"0.00000012345", 124 * kNano, kDec, "124n"},
      {"0.00000012354", 124 * kNano, kDec, "124n"},
      {"-0.1n", -kNano, kDec, "-1n"},
      {"1e-100", kNano, kExp, "1e-9"},
      {"1e-1000000000000", kNano, kExp, "1e-9"},
      {"0e1000000000000", 0, kExp, "0"},
      {"1.0000000000000000000000000000000000000000001Ki", 1024 * kUnit + 1, kBin, "1024000000001n"},
      // BinarySI is capped at 2^63-1; decimal values are not.
      {"8Ei", Quantity::kBinarySICapNano, kBin, "9223372036854775807"},
      {"9Ei", Quantity::kBinarySICapNano, kBin, "9223372036854775807"},
      {"9223372036854775807Ki", Quantity::kBinarySICapNano, kBin, "9223372036854775807"},
      {"-9Ei", -Quantity::kBinarySICapNano, kBin, "-9223372036854775807"},
      {"99999999999999999999999999999999999999999999Ei", Quantity::kBinarySICapNano, kBin,
       "9223372036854775807"},
      {"9223372036854775808", Int128{INT64_MAX} * kUnit + kUnit, kDec, "9223372036854775808"},
      {"1e28", Int128{10'000'000'000} * kExa, kExp, "10e27"},
      // The largest magnitude a Quantity holds: exactly 2^127-1 nano-units.
      {"170141183460469231731687303715.884105727", Quantity::kMaxNano, kDec,
       "170141183460469231731687303715884105727n"},
      {"-170141183460469231731687303715.884105727", -Quantity::kMaxNano, kDec,
       "-170141183460469231731687303715884105727n"},
  };
  return kCases;
}

TEST(QuantityParse, ValueFormatAndCanonicalString) {
  for (const ParseCase& c : ParseCases()) {
    SCOPED_TRACE(c.input);
    Result<Quantity> q = Quantity::Parse(c.input);
    ASSERT_TRUE(q.has_value()) << q.error().message;
    EXPECT_EQ(q->Nano(), c.nano);
    EXPECT_EQ(FormatName(q->format()), FormatName(c.format));
    EXPECT_EQ(q->ToString(), c.canonical);
  }
}

TEST(QuantityParse, CanonicalStringParsesBackToTheSameValue) {
  for (const ParseCase& c : ParseCases()) {
    SCOPED_TRACE(c.input);
    Result<Quantity> q = Quantity::Parse(c.input);
    ASSERT_TRUE(q.has_value());
    Result<Quantity> again = Quantity::Parse(q->ToString());
    ASSERT_TRUE(again.has_value()) << again.error().message;
    EXPECT_EQ(again->Nano(), q->Nano());
  }
}

TEST(QuantityParse, NegatedInputHasNegatedValueAndSameFormat) {
  for (const ParseCase& c : ParseCases()) {
    if (c.input[0] == '-' || c.input[0] == '+') continue;
    SCOPED_TRACE(c.input);
    Result<Quantity> q = Quantity::Parse("-" + std::string(c.input));
    ASSERT_TRUE(q.has_value()) << q.error().message;
    EXPECT_EQ(q->Nano(), -c.nano);
    EXPECT_EQ(q->format(), c.format);
    EXPECT_EQ(q->ToString(), c.nano == 0 ? "0" : "-" + std::string(c.canonical));
  }
}

TEST(QuantityParse, RejectsMalformedText) {
  const std::vector<std::string_view> invalid = {
      "",       " 1",    "1 ",    "1.2.3", "--1",   "+-1",    "1Kii",    "1KB",    "e3",
      "1e",     "1e3.5", "abc",   "1i",    ".",     "+",      "-",       "1m1",    "1.1.M",
      "1+1.0M", "0.1mi", "0.1am", "aoeu",  ".5i",   "-3.01i", "-3.01e-", "1K",     "1k1",
      "1e+",    "1Ee3",  "1 Gi",  "1,5",   "1_000", "0x10",   "1Gi ",    "1\t",    "Ki",
      "1e3e3",  "1ki",   "1mi",   "1EI",   "1eK",   "\xff",   "1Gi\n",   "1.5.Gi", "1..5",
  };
  for (std::string_view text : invalid) {
    Result<Quantity> q = Quantity::Parse(text);
    EXPECT_FALSE(q.has_value()) << "\"" << text << "\" parsed as " << q->ToString();
  }
}

TEST(QuantityParse, ErrorMessagesNameTheProblem) {
  const std::string expected =
      "; a quantity is an optional sign, digits with an optional fraction, and an optional "
      "suffix: n u m k M G T P E, Ki Mi Gi Ti Pi Ei, or e<exponent> (e.g. 100m, 1.5Gi, 2e3)";
  const std::vector<std::pair<std::string_view, std::string>> cases = {
      {"", "invalid quantity \"\": empty string"},
      {"1KB", "invalid quantity \"1KB\": unexpected 'B' at offset 2"},
      {"1Kii", "invalid quantity \"1Kii\": unknown suffix \"Kii\""},
      {"1e", "invalid quantity \"1e\": unknown suffix \"e\""},
      {"e3", "invalid quantity \"e3\": expected a digit at offset 0, found 'e'"},
      {"--1", "invalid quantity \"--1\": expected a digit at offset 1, found '-'"},
      {" 1", "invalid quantity \" 1\": expected a digit at offset 0, found a space"},
      {"1\t", "invalid quantity \"1\t\": unexpected byte 0x09 at offset 1"},
      {"+", "invalid quantity \"+\": the number has no digits"},
      {"1e30", "invalid quantity \"1e30\": the value is too large (the limit is about 1.7e29)"},
      {"170141183460469231731687303715.884105728",
       "invalid quantity \"170141183460469231731687303715.884105728\": the value is too large "
       "(the limit is about 1.7e29)"},
      {"170141183460469231731687303715.8841057271",
       "invalid quantity \"170141183460469231731687303715.8841057271\": the value is too large "
       "(the limit is about 1.7e29)"},
      {"1e1000000000000",
       "invalid quantity \"1e1000000000000\": the value is too large (the limit is about "
       "1.7e29)"},
  };
  for (const auto& [text, message] : cases) {
    Result<Quantity> q = Quantity::Parse(text);
    ASSERT_FALSE(q.has_value()) << text;
    EXPECT_EQ(q.error().message, message + expected);
  }
}

TEST(QuantityParse, TrimmedParseAcceptsSurroundingWhitespaceLikeUnmarshalJSON) {
  EXPECT_EQ(Quantity::ParseTrimmed(" 1")->ToString(), "1");
  EXPECT_EQ(Quantity::ParseTrimmed("1 ")->ToString(), "1");
  EXPECT_EQ(Quantity::ParseTrimmed("\t-1\r\n")->ToString(), "-1");
  EXPECT_EQ(Quantity::ParseTrimmed(" 1.5Gi ")->ToString(), "1536Mi");
  EXPECT_FALSE(Quantity::ParseTrimmed("   ").has_value());
  EXPECT_FALSE(Quantity::ParseTrimmed("1 Gi").has_value());
}

struct PrintCase {
  Quantity quantity;
  std::string_view canonical;
  std::string_view alternate;  // another spelling of the same value; "" when none
};

TEST(QuantityToString, MatchesKubernetesCanonicalForm) {
  const std::vector<PrintCase> cases = {
      {Quantity::FromNano(kGi, kBin), "1Gi", "1024Mi"},
      {Quantity::FromNano(300 * kMi, kBin), "300Mi", "307200Ki"},
      {Quantity::FromNano(6 * kKi, kBin), "6Ki", ""},
      {Quantity::FromNano(1001 * kGi, kBin), "1001Gi", "1025024Mi"},
      {Quantity::FromNano(kTi, kBin), "1Ti", "1024Gi"},
      {Quantity::FromInt(5, kBin), "5", "5000m"},
      {Quantity::FromMilli(500, kBin), "500m", "0.5"},
      {Quantity::FromInt(1'000'000'000), "1G", "1000M"},
      {Quantity::FromInt(1'000'000'000), "1G", "0.001T"},
      {Quantity::FromMilli(1), "1m", "1000u"},
      {Quantity::FromMilli(80), "80m", ""},
      {Quantity::FromMilli(1080), "1080m", "1.08"},
      {Quantity::FromInt(300'000'000), "300M", ""},
      {Quantity::FromInt(1'000'000'000'000), "1T", ""},
      {Quantity::FromNano(kExa), "1E", ""},
      {Quantity::FromNano(1000 * kExa), "1e21", "1000E"},
      {Quantity::FromNano(5000 * kExa), "5e21", "5000E"},
      {Quantity::FromNano(1'000'000 * kExa), "1e24", "1000000E"},
      {Quantity::FromNano(1'234'567'000'000 * kUnit), "1234567M", ""},
      {Quantity::FromMilli(1'234'567, kBin), "1234567m", ""},
      {Quantity::FromInt(3'000), "3k", ""},
      {Quantity::FromInt(1025, kBin), "1025", ""},
      {Quantity::FromInt(0), "0", ""},
      {Quantity::FromInt(0, kBin), "0", ""},
      {Quantity::FromInt(1'000'000'000, kExp), "1e9", ".001e12"},
      {Quantity::FromMilli(1, kExp), "1e-3", "0.001e0"},
      {Quantity::FromNano(1, kExp), "1e-9", "1000e-12"},
      {Quantity::FromMilli(80, kExp), "80e-3", ""},
      {Quantity::FromInt(300'000'000, kExp), "300e6", ""},
      {Quantity::FromInt(1'000'000'000'000, kExp), "1e12", ""},
      {Quantity::FromInt(1'000, kExp), "1e3", ""},
      {Quantity::FromInt(3'000, kExp), "3e3", ""},
      {Quantity::FromInt(0, kExp), "0", "00"},
      {Quantity::FromNano(1), "1n", ""},
      {Quantity::FromNano(80), "80n", ""},
      {Quantity::FromNano(1080), "1080n", ""},
      {Quantity::FromNano(1000), "1u", ""},
      {Quantity::FromNano(80'000), "80u", ""},
      {Quantity::FromNano(1'080'000), "1080u", ""},
      {Quantity::FromInt(1023, kBin), "1023", ""},
      {Quantity::FromInt(1024, kBin), "1Ki", ""},
      {Quantity::FromInt(1536, kBin), "1536", ""},
      {Quantity::FromInt(3072, kBin), "3Ki", ""},
      {Quantity::FromMilli(1'024'500, kBin), "1024500m", ""},
  };
  for (const PrintCase& c : cases) {
    SCOPED_TRACE(c.canonical);
    EXPECT_EQ(c.quantity.ToString(), c.canonical);
    if (!c.quantity.IsZero()) {
      EXPECT_EQ((-c.quantity).ToString(), "-" + std::string(c.canonical));
    }
    EXPECT_EQ(Q(c.canonical), c.quantity);
    if (!c.alternate.empty()) {
      Quantity alternate = Q(c.alternate);
      EXPECT_EQ(alternate, c.quantity);
      EXPECT_EQ(alternate.ToString(), c.canonical);
    }
  }
}

TEST(QuantityToString, BinaryBeyondEiKeepsTheEiSuffix) {
  // Only arithmetic reaches these (parsing caps BinarySI at 2^63-1); upstream would print the
  // bare mantissa, which misstates the value.
  EXPECT_EQ(Quantity::FromNano(1024 * kEi, kBin).ToString(), "1024Ei");
  EXPECT_EQ(Quantity::FromNano(-2048 * kEi, kBin).ToString(), "-2048Ei");
  EXPECT_EQ(Quantity::FromNano(16 * kEi, kBin).ToString(), "16Ei");
}

TEST(QuantityToString, WithFormatChangesOnlyThePrinting) {
  const Quantity q = Q("1Gi");
  EXPECT_EQ(q.WithFormat(kDec).ToString(), "1073741824");
  EXPECT_EQ(q.WithFormat(kExp).ToString(), "1073741824");
  EXPECT_EQ(Q("1000").WithFormat(kExp).ToString(), "1e3");
  EXPECT_EQ(Q("1000").WithFormat(kBin).ToString(), "1k");  // below 1024: DecimalSI
  EXPECT_EQ(q.WithFormat(kDec), q);
}

TEST(QuantityConstruct, FromIntMatchesNewQuantity) {
  EXPECT_EQ(Quantity::FromInt(1).ToString(), "1");
  EXPECT_EQ(Quantity::FromInt(1000).ToString(), "1k");
  EXPECT_EQ(Quantity::FromInt(1'234'000).ToString(), "1234k");
  EXPECT_EQ(Quantity::FromInt(1024, kBin).ToString(), "1Ki");
  EXPECT_EQ(Quantity::FromInt(1'000'000, kExp).ToString(), "1e6");
  EXPECT_EQ(Quantity::FromInt(1024 * 1024, kBin).ToString(), "1Mi");
  EXPECT_EQ(Quantity::FromInt(INT64_MAX).Value(), INT64_MAX);
  EXPECT_EQ(Quantity::FromInt(INT64_MIN).Value(), INT64_MIN);
  EXPECT_EQ(Quantity::FromInt(7).format(), kDec);
}

TEST(QuantityConstruct, FromMilliMatchesNewMilliQuantity) {
  EXPECT_EQ(Quantity::FromMilli(1).ToString(), "1m");
  EXPECT_EQ(Quantity::FromMilli(1000).ToString(), "1");
  EXPECT_EQ(Quantity::FromMilli(1'234'000).ToString(), "1234");
  EXPECT_EQ(Quantity::FromMilli(1024, kBin).ToString(), "1024m");
  EXPECT_EQ(Quantity::FromMilli(1'000'000, kExp).ToString(), "1e3");
  EXPECT_EQ(Quantity::FromMilli(1024 * 1024, kBin).ToString(), "1048576m");
  EXPECT_EQ(Quantity::FromMilli(1500).MilliValue(), 1500);
}

TEST(QuantityConstruct, FromNanoClampsToTheRepresentableRange) {
  EXPECT_EQ(Quantity::FromNano(1).ToString(), "1n");
  EXPECT_EQ(Quantity::FromNano(1000).ToString(), "1u");
  EXPECT_EQ(Quantity::FromNano(-Quantity::kMaxNano - 1).Nano(), -Quantity::kMaxNano);
  EXPECT_EQ(Quantity().Nano(), 0);
  EXPECT_EQ(Quantity().format(), kDec);
  EXPECT_EQ(Quantity().ToString(), "0");
}

struct RoundCase {
  std::string_view input;
  int64_t value;
  int64_t milli;
};

TEST(QuantityRounding, ValueAndMilliValueRoundUpAwayFromZero) {
  const std::vector<RoundCase> cases = {
      {"0", 0, 0},
      {"1", 1, 1000},
      {"1.5", 2, 1500},
      {"-1.5", -2, -1500},
      {"9.01", 10, 9010},
      {"-9.01", -10, -9010},
      {"1n", 1, 1},
      {"-1n", -1, -1},
      {"999m", 1, 999},
      {"1001m", 2, 1001},
      {"1.0001m", 1, 2},
      {"-1.0001m", -1, -2},
      {"1u", 1, 1},
      {"100m", 1, 100},
      {"2000m", 2, 2000},
      {"1Gi", 1'073'741'824, 1'073'741'824'000},
      {"1.5Ki", 1536, 1'536'000},
      {"1k", 1000, 1'000'000},
      {"1e3", 1000, 1'000'000},
      {"8Ei", INT64_MAX, INT64_MAX},    // capped value; milli saturates
      {"-8Ei", -INT64_MAX, INT64_MIN},  // milli saturates
      {"1e20", INT64_MAX, INT64_MAX},
      {"-1e20", INT64_MIN, INT64_MIN},
      {"9223372036854775807", INT64_MAX, INT64_MAX},
      {"9223372036854775.807", 9'223'372'036'854'776, INT64_MAX},
  };
  for (const RoundCase& c : cases) {
    SCOPED_TRACE(c.input);
    const Quantity q = Q(c.input);
    EXPECT_EQ(q.Value(), c.value);
    EXPECT_EQ(q.MilliValue(), c.milli);
  }
}

TEST(QuantityCompare, ComparesValuesAcrossFormats) {
  EXPECT_EQ(Q("1Gi"), Q("1073741824"));
  EXPECT_EQ(Q("1000m"), Q("1"));
  EXPECT_EQ(Q("1k"), Q("1e3"));
  EXPECT_EQ(Q("1000"), Q("1e3"));
  EXPECT_EQ(Q("0"), Q("0Gi"));
  EXPECT_EQ(Q("0.5Ki"), Q("512"));
  EXPECT_NE(Q("1Ki"), Q("1k"));
  EXPECT_GT(Q("1Ki"), Q("1k"));
  EXPECT_LT(Q("1G"), Q("1Gi"));
  EXPECT_GT(Q("100m"), Q("50m"));
  EXPECT_LT(Q("50m"), Q("100m"));
  EXPECT_GT(Q("10000T"), Q("100Gi"));
  EXPECT_LT(Q("-1"), Q("0"));
  EXPECT_LT(Q("-1Gi"), Q("-1G"));
  EXPECT_LE(Q("1n"), Q("0.1n"));
  EXPECT_GE(Q("1n"), Q("0.1n"));
  EXPECT_EQ(Q("1") <=> Q("1000m"), std::strong_ordering::equal);
  EXPECT_EQ(Q("1") <=> Q("1001m"), std::strong_ordering::less);
  EXPECT_EQ(Q("2") <=> Q("1001m"), std::strong_ordering::greater);
}

TEST(QuantityCompare, SignAndIsZero) {
  EXPECT_EQ(Q("0").Sign(), 0);
  EXPECT_EQ(Q("-0").Sign(), 0);
  EXPECT_EQ(Q("1n").Sign(), 1);
  EXPECT_EQ(Q("-1n").Sign(), -1);
  EXPECT_TRUE(Q("0Ki").IsZero());
  EXPECT_FALSE(Q("0.0000000001").IsZero());
}

struct ArithmeticCase {
  Quantity result;
  std::string_view canonical;
  Format format;
};

TEST(QuantityArithmetic, AddSubtractNegateKeepKubernetesFormats) {
  const std::vector<ArithmeticCase> cases = {
      {Q("10") + Q("1e1"), "20", kDec},
      {Q("10") + Q("1Ki"), "1034", kDec},   // left operand's format
      {Q("10Ki") + Q("1"), "10241", kBin},  // integral but not a multiple of 1024
      {Q("1Gi") + Q("512Mi"), "1536Mi", kBin},
      {Q("1") + Q("500m"), "1500m", kDec},
      {Q("1e3") + Q("1"), "1001", kExp},
      {Q("0") + Q("1Gi"), "1Gi", kBin},  // zero takes the other's format
      {Q("0") + Q("100m"), "100m", kDec},
      {Q("100m") + Q("0"), "100m", kDec},
      {Q("1Gi") + Q("0"), "1Gi", kBin},
      {Q("0") - Q("1Gi"), "-1Gi", kBin},
      {Q("1Gi") - Q("0"), "1Gi", kBin},
      {Q("10") - Q("1Ki"), "-1014", kDec},
      {Q("10Ki") - Q("1"), "10239", kBin},
      {Q("1Gi") - Q("1Gi"), "0", kBin},
      {Q("1") - Q("1n"), "999999999n", kDec},
      {Q("2Gi") - Q("1G"), "1147483648", kBin},
      {-Q("9.01"), "-9010m", kDec},
      {-Q("1Gi"), "-1Gi", kBin},
      {-Q("-1e3"), "1e3", kExp},
      {Q("10").MultipliedBy(10), "100", kDec},
      {Q("1Gi").MultipliedBy(3), "3Gi", kBin},
      {Q("-50").MultipliedBy(-50), "2500", kDec},
      {Q("10Ki").MultipliedBy(-1), "-10Ki", kBin},
      {Q("100m").MultipliedBy(0), "0", kDec},
      {Q("100m").MultipliedBy(30), "3", kDec},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(cases[i].result.ToString(), cases[i].canonical);
    EXPECT_EQ(cases[i].result.format(), cases[i].format);
  }
}

TEST(QuantityArithmetic, CompoundAssignment) {
  Quantity total;
  total += Q("1Gi");
  total += Q("1Gi");
  EXPECT_EQ(total.ToString(), "2Gi");
  total -= Q("0.5Gi");
  EXPECT_EQ(total.ToString(), "1536Mi");
}

TEST(QuantityArithmetic, SumsAndDifferencesCancelExactly) {
  // Deterministic pseudo-random values at scales from nano to exa.
  uint64_t state = 0x9e3779b97f4a7c15ULL;
  std::vector<Quantity> values;
  Quantity total;
  for (int i = 0; i < 200; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto mantissa = static_cast<int64_t>(state >> 1);
    const Quantity q = Quantity::FromNano(Int128{mantissa} * (i % 2 == 0 ? 1 : 1000));
    values.push_back(i % 3 == 0 ? -q : q);
    total += values.back();
  }
  for (const Quantity& q : values) total -= q;
  EXPECT_TRUE(total.IsZero()) << total.ToString();
}

TEST(QuantityArithmetic, SaturatesAtTheLimits) {
  const Quantity max = Quantity::FromNano(Quantity::kMaxNano);
  const Quantity min = Quantity::FromNano(-Quantity::kMaxNano);
  EXPECT_EQ((max + Q("1n")).Nano(), Quantity::kMaxNano);
  EXPECT_EQ((max + max).Nano(), Quantity::kMaxNano);
  EXPECT_EQ((min - Q("1n")).Nano(), -Quantity::kMaxNano);
  EXPECT_EQ((min + min).Nano(), -Quantity::kMaxNano);
  EXPECT_EQ((max - max).Nano(), 0);
  EXPECT_EQ(max.MultipliedBy(2).Nano(), Quantity::kMaxNano);
  EXPECT_EQ(max.MultipliedBy(-2).Nano(), -Quantity::kMaxNano);
  EXPECT_EQ(min.MultipliedBy(INT64_MIN).Nano(), Quantity::kMaxNano);
  EXPECT_EQ((-min).Nano(), Quantity::kMaxNano);
}

TEST(QuantityFormat, Names) {
  EXPECT_EQ(FormatName(kDec), "DecimalSI");
  EXPECT_EQ(FormatName(kBin), "BinarySI");
  EXPECT_EQ(FormatName(kExp), "DecimalExponent");
}

TEST(QuantityFormat, PrintToShowsCanonicalTextAndFormat) {
  EXPECT_EQ(testing::PrintToString(Q("1.5Gi")), "1536Mi (BinarySI)");
}

}  // namespace
}  // namespace karpenter::core
