#include "core/requirement.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace karpenter::core {
namespace {

// A requirement on key "k"; the tests only build valid ones.
Requirement R(Operator op, std::vector<std::string> values = {},
              std::optional<int> min_values = std::nullopt) {
  Result<Requirement> r = Requirement::From({"k", op, std::move(values), min_values});
  EXPECT_TRUE(r.has_value()) << r.error().message;
  return r.has_value() ? *r : Requirement::DoesNotExist("k");
}

TEST(Operator, ParsesAndPrintsEveryWireSpelling) {
  const std::vector<std::pair<std::string, Operator>> cases = {
      {"In", Operator::In},         {"NotIn", Operator::NotIn},
      {"Exists", Operator::Exists}, {"DoesNotExist", Operator::DoesNotExist},
      {"Gt", Operator::Gt},         {"Lt", Operator::Lt},
      {"Gte", Operator::Gte},       {"Lte", Operator::Lte},
  };
  for (const auto& [text, op] : cases) {
    Result<Operator> parsed = ParseOperator(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(*parsed, op);
    EXPECT_EQ(ToString(op), text);
  }
}

TEST(Operator, RejectsOtherSpellings) {
  for (const char* text : {"in", "IN", "notin", "Exist", "", "GT", ">"}) {
    EXPECT_FALSE(ParseOperator(text).has_value()) << text;
  }
  EXPECT_EQ(ParseOperator("in").error().message,
            "unknown operator \"in\" (expected In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte or "
            "Lte)");
}

TEST(ParseGoInt, AcceptsWhatStrconvAtoiAccepts) {
  struct Case {
    std::string text;
    std::optional<int64_t> want;
  };
  const std::vector<Case> cases = {
      {"0", 0},
      {"42", 42},
      {"+42", 42},
      {"-42", -42},
      {"007", 7},
      {"-0", 0},
      {"9223372036854775807", INT64_MAX},
      {"-9223372036854775808", INT64_MIN},
      {"9223372036854775808", std::nullopt},
      {"-9223372036854775809", std::nullopt},
      {"", std::nullopt},
      {"+", std::nullopt},
      {"-", std::nullopt},
      {"1.5", std::nullopt},
      {"1e3", std::nullopt},
      {"0x10", std::nullopt},
      {"1_000", std::nullopt},
      {" 1", std::nullopt},
      {"1 ", std::nullopt},
      {"--1", std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseGoInt(c.text), c.want) << "\"" << c.text << "\"";
}

TEST(RequirementFrom, BoundOperatorsNeedOneIntegerValue) {
  struct Case {
    Operator op;
    std::vector<std::string> values;
    std::string error;
  };
  const std::vector<Case> cases = {
      {Operator::Gt,
       {"abc"},
       "key \"k\": operator Gt needs exactly one integer value, got [\"abc\"]"},
      {Operator::Lt, {}, "key \"k\": operator Lt needs exactly one integer value, got []"},
      {Operator::Gte,
       {"1", "2"},
       "key \"k\": operator Gte needs exactly one integer value, got [\"1\" \"2\"]"},
      {Operator::Lte,
       {"1.5"},
       "key \"k\": operator Lte needs exactly one integer value, got [\"1.5\"]"},
  };
  for (const Case& c : cases) {
    Result<Requirement> r = Requirement::From({"k", c.op, c.values, std::nullopt});
    ASSERT_FALSE(r.has_value()) << ToString(c.op);
    EXPECT_EQ(r.error().message, c.error);
  }
}

TEST(RequirementFrom, CanonicalisesStrictBoundsToInclusiveOnes) {
  EXPECT_EQ(R(Operator::Gt, {"5"}), R(Operator::Gte, {"6"}));
  EXPECT_EQ(R(Operator::Lt, {"5"}), R(Operator::Lte, {"4"}));
  EXPECT_EQ(R(Operator::Gt, {"-3"}).gte(), std::optional<int64_t>(-2));
  EXPECT_EQ(R(Operator::Lt, {"-3"}).lte(), std::optional<int64_t>(-4));
  // Nothing is greater than the largest int64 or less than the smallest.
  EXPECT_EQ(R(Operator::Gt, {"9223372036854775807"}).ToString(), "k DoesNotExist");
  EXPECT_EQ(R(Operator::Lt, {"-9223372036854775808"}).ToString(), "k DoesNotExist");
  EXPECT_EQ(R(Operator::Gte, {"9223372036854775807"}).ToString(), "k Exists >=9223372036854775807");
}

TEST(RequirementFrom, ExistsAndDoesNotExistIgnoreValues) {
  EXPECT_EQ(R(Operator::Exists, {"a"}), Requirement::Exists("k"));
  EXPECT_EQ(R(Operator::DoesNotExist, {"a"}), Requirement::DoesNotExist("k"));
}

TEST(Requirement, HasHonoursSetsAndBounds) {
  struct Case {
    Requirement requirement;
    std::string value;
    bool want;
  };
  const Requirement gt3_lt7 = R(Operator::Gt, {"3"}).Intersection(R(Operator::Lt, {"7"}));
  const std::vector<Case> cases = {
      {R(Operator::In, {"a", "b"}), "a", true},
      {R(Operator::In, {"a", "b"}), "c", false},
      {R(Operator::NotIn, {"a"}), "a", false},
      {R(Operator::NotIn, {"a"}), "b", true},
      {R(Operator::Exists), "anything", true},
      {R(Operator::Exists), "", true},
      {R(Operator::DoesNotExist), "a", false},
      {R(Operator::Gt, {"3"}), "4", true},
      {R(Operator::Gt, {"3"}), "3", false},
      {R(Operator::Gt, {"3"}), "+4", true},
      {R(Operator::Gt, {"3"}), "four", false},
      {R(Operator::Gt, {"3"}), "4.5", false},
      {R(Operator::Gt, {"3"}), "", false},
      {R(Operator::Lt, {"3"}), "2", true},
      {R(Operator::Lt, {"3"}), "3", false},
      {R(Operator::Lt, {"3"}), "-100", true},
      {R(Operator::Gte, {"3"}), "3", true},
      {R(Operator::Gte, {"3"}), "2", false},
      {R(Operator::Lte, {"3"}), "3", true},
      {R(Operator::Lte, {"3"}), "4", false},
      {gt3_lt7, "3", false},
      {gt3_lt7, "4", true},
      {gt3_lt7, "6", true},
      {gt3_lt7, "7", false},
      {R(Operator::NotIn, {"5"}).Intersection(gt3_lt7), "5", false},
      {R(Operator::NotIn, {"5"}).Intersection(gt3_lt7), "6", true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.requirement.Has(c.value), c.want)
        << c.requirement.ToString() << " has \"" << c.value << "\"";
  }
}

struct IntersectionCase {
  Requirement a;
  Requirement b;
  std::string want;  // ToString of a ∩ b
};

TEST(Requirement, IntersectionOfEveryOperatorPair) {
  const std::vector<IntersectionCase> cases = {
      {R(Operator::In, {"a", "b"}), R(Operator::In, {"b", "c"}), "k In [b]"},
      {R(Operator::In, {"a"}), R(Operator::In, {"b"}), "k DoesNotExist"},
      {R(Operator::In, {"a", "b"}), R(Operator::NotIn, {"b"}), "k In [a]"},
      {R(Operator::In, {"a"}), R(Operator::NotIn, {"a"}), "k DoesNotExist"},
      {R(Operator::In, {"a"}), R(Operator::Exists), "k In [a]"},
      {R(Operator::In, {"a"}), R(Operator::DoesNotExist), "k DoesNotExist"},
      {R(Operator::NotIn, {"a"}), R(Operator::NotIn, {"b"}), "k NotIn [a b]"},
      {R(Operator::NotIn, {"a"}), R(Operator::Exists), "k NotIn [a]"},
      {R(Operator::NotIn, {"a"}), R(Operator::DoesNotExist), "k DoesNotExist"},
      {R(Operator::Exists), R(Operator::Exists), "k Exists"},
      {R(Operator::Exists), R(Operator::DoesNotExist), "k DoesNotExist"},
      {R(Operator::DoesNotExist), R(Operator::DoesNotExist), "k DoesNotExist"},
      {R(Operator::Gt, {"1"}), R(Operator::Lt, {"5"}), "k Exists >=2 <=4"},
      {R(Operator::Gt, {"3"}), R(Operator::Lt, {"5"}), "k Exists >=4 <=4"},
      {R(Operator::Gt, {"4"}), R(Operator::Lt, {"5"}), "k DoesNotExist"},
      {R(Operator::Gte, {"3"}), R(Operator::Lte, {"3"}), "k Exists >=3 <=3"},
      {R(Operator::Gte, {"4"}), R(Operator::Lte, {"3"}), "k DoesNotExist"},
      {R(Operator::Gt, {"5"}), R(Operator::Gte, {"6"}), "k Exists >=6"},
      {R(Operator::Gt, {"5"}), R(Operator::Gte, {"7"}), "k Exists >=7"},
      {R(Operator::Gt, {"5"}), R(Operator::Gt, {"2"}), "k Exists >=6"},
      {R(Operator::Lt, {"5"}), R(Operator::Lte, {"2"}), "k Exists <=2"},
      {R(Operator::Gt, {"1"}), R(Operator::Exists), "k Exists >=2"},
      {R(Operator::Gt, {"1"}), R(Operator::DoesNotExist), "k DoesNotExist"},
      // A finite set is filtered through the bounds, which are then dropped; "10" sorts
      // before "5" because values are strings.
      {R(Operator::In, {"1", "5", "10", "x"}), R(Operator::Gt, {"2"}), "k In [10 5]"},
      {R(Operator::In, {"1", "5"}), R(Operator::Gt, {"5"}), "k DoesNotExist"},
      {R(Operator::In, {"5"}), R(Operator::Gte, {"5"}), "k In [5]"},
      // Exclusions outside the bounds are redundant and are dropped.
      {R(Operator::NotIn, {"3", "7"}), R(Operator::Gt, {"5"}), "k NotIn [7] >=6"},
      {R(Operator::In, {"a", "b", "c"}, 2), R(Operator::In, {"a", "b"}, 3),
       "k In [a b] minValues 3"},
      {R(Operator::Exists, {}, 1), R(Operator::Gt, {"4"}, std::nullopt),
       "k Exists >=5 minValues 1"},
      {R(Operator::Gt, {"4"}, 2), R(Operator::Lt, {"3"}), "k DoesNotExist minValues 2"},
  };
  for (const IntersectionCase& c : cases) {
    EXPECT_EQ(c.a.Intersection(c.b).ToString(), c.want)
        << c.a.ToString() << " ∩ " << c.b.ToString();
    EXPECT_EQ(c.b.Intersection(c.a).ToString(), c.want)
        << c.b.ToString() << " ∩ " << c.a.ToString();
  }
}

TEST(Requirement, IntersectsFollowsUpstream) {
  struct Case {
    Requirement a;
    Requirement b;
    bool want;
  };
  const Requirement single_five = R(Operator::Gte, {"5"}).Intersection(R(Operator::Lte, {"5"}));
  const std::vector<Case> cases = {
      {R(Operator::In, {"a"}), R(Operator::In, {"a", "b"}), true},
      {R(Operator::In, {"a"}), R(Operator::In, {"b"}), false},
      {R(Operator::In, {"a"}), R(Operator::NotIn, {"a"}), false},
      {R(Operator::In, {"a"}), R(Operator::NotIn, {"b"}), true},
      {R(Operator::In, {"a"}), R(Operator::Exists), true},
      {R(Operator::In, {"a"}), R(Operator::DoesNotExist), false},
      {R(Operator::NotIn, {"a"}), R(Operator::NotIn, {"a"}), true},
      {R(Operator::NotIn, {"a"}), R(Operator::DoesNotExist), false},
      {R(Operator::Exists), R(Operator::Exists), true},
      {R(Operator::Exists), R(Operator::DoesNotExist), false},
      // The empty set intersects nothing, itself included; Requirements excuses this pair.
      {R(Operator::DoesNotExist), R(Operator::DoesNotExist), false},
      {R(Operator::Gt, {"1"}), R(Operator::Lt, {"3"}), true},
      {R(Operator::Gt, {"2"}), R(Operator::Lt, {"3"}), false},
      {R(Operator::Gte, {"3"}), R(Operator::Lte, {"3"}), true},
      {R(Operator::Gte, {"4"}), R(Operator::Lte, {"3"}), false},
      {R(Operator::In, {"3"}), R(Operator::Gt, {"2"}), true},
      {R(Operator::In, {"2"}), R(Operator::Gt, {"2"}), false},
      {R(Operator::In, {"x"}), R(Operator::Gt, {"2"}), false},
      {R(Operator::Gt, {"2"}), R(Operator::DoesNotExist), false},
      // Two complement sets always intersect when their bounds do, even if the exclusions
      // happen to cover every integer left (as upstream's HasIntersection).
      {single_five, R(Operator::NotIn, {"5"}), true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.a.Intersects(c.b), c.want) << c.a.ToString() << " vs " << c.b.ToString();
    EXPECT_EQ(c.b.Intersects(c.a), c.want) << c.b.ToString() << " vs " << c.a.ToString();
  }
}

TEST(Requirement, EffectiveOperatorLenAndValues) {
  struct Case {
    Requirement requirement;
    Operator op;
    size_t len;
    std::vector<std::string> values;
  };
  const size_t kInf = Requirement::kUnboundedLen;
  const std::vector<Case> cases = {
      {R(Operator::In, {"c", "a", "b"}), Operator::In, 3, {"a", "b", "c"}},
      {R(Operator::In, {"a", "a"}), Operator::In, 1, {"a"}},
      {R(Operator::In, {}), Operator::DoesNotExist, 0, {}},
      {R(Operator::NotIn, {"b", "a"}), Operator::NotIn, kInf - 2, {"a", "b"}},
      {R(Operator::NotIn, {}), Operator::Exists, kInf, {}},
      {R(Operator::Exists), Operator::Exists, kInf, {}},
      {R(Operator::DoesNotExist), Operator::DoesNotExist, 0, {}},
      {R(Operator::Gt, {"1"}), Operator::Exists, kInf, {}},
      {R(Operator::Lte, {"1"}), Operator::Exists, kInf, {}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.requirement.EffectiveOperator(), c.op) << c.requirement.ToString();
    EXPECT_EQ(c.requirement.Len(), c.len) << c.requirement.ToString();
    EXPECT_EQ(c.requirement.Values(), c.values) << c.requirement.ToString();
  }
}

TEST(Requirement, AnyIsDeterministic) {
  struct Case {
    Requirement requirement;
    std::optional<std::string> want;
  };
  const std::vector<Case> cases = {
      {R(Operator::In, {"c", "a", "b"}), "a"},
      {R(Operator::DoesNotExist), std::nullopt},
      {R(Operator::In, {}), std::nullopt},
      {R(Operator::Exists), "0"},
      {R(Operator::NotIn, {"0", "1"}), "2"},
      {R(Operator::Gt, {"5"}), "6"},
      {R(Operator::Gte, {"5"}).Intersection(R(Operator::NotIn, {"5", "6"})), "7"},
      {R(Operator::Lt, {"10"}), "0"},
      {R(Operator::Lt, {"-5"}), "-6"},
      {R(Operator::Lt, {"-5"}).Intersection(R(Operator::NotIn, {"-6"})), "-7"},
      {R(Operator::Gte, {"3"})
           .Intersection(R(Operator::Lte, {"4"}))
           .Intersection(R(Operator::NotIn, {"3", "4"})),
       std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(c.requirement.Any(), c.want) << c.requirement.ToString();
}

TEST(Requirement, ToStringAbbreviatesLongValueLists) {
  EXPECT_EQ(R(Operator::In, {"h", "g", "f", "e", "d", "c", "b", "a"}).ToString(),
            "k In [a b c d e and 3 others]");
  EXPECT_EQ(R(Operator::In, {"e", "d", "c", "b", "a"}).ToString(), "k In [a b c d e]");
  EXPECT_EQ(R(Operator::NotIn, {"x"}).ToString(), "k NotIn [x]");
  EXPECT_EQ(R(Operator::Exists).ToString(), "k Exists");
  EXPECT_EQ(R(Operator::Lt, {"3"}, 2).ToString(), "k Exists <=2 minValues 2");
}

TEST(Requirement, ToNodeSelectorRequirementsRoundTrips) {
  using V = std::vector<NodeSelectorRequirement>;
  EXPECT_EQ(R(Operator::In, {"b", "a"}, 2).ToNodeSelectorRequirements(),
            (V{{"k", Operator::In, {"a", "b"}, 2}}));
  EXPECT_EQ(R(Operator::NotIn, {"a"}).ToNodeSelectorRequirements(),
            (V{{"k", Operator::NotIn, {"a"}, std::nullopt}}));
  EXPECT_EQ(R(Operator::Exists).ToNodeSelectorRequirements(),
            (V{{"k", Operator::Exists, {}, std::nullopt}}));
  EXPECT_EQ(R(Operator::DoesNotExist).ToNodeSelectorRequirements(),
            (V{{"k", Operator::DoesNotExist, {}, std::nullopt}}));
  EXPECT_EQ(
      R(Operator::Gt, {"1"}).Intersection(R(Operator::Lt, {"5"})).ToNodeSelectorRequirements(),
      (V{{"k", Operator::Gte, {"2"}, std::nullopt}, {"k", Operator::Lte, {"4"}, std::nullopt}}));
}

}  // namespace
}  // namespace karpenter::core
