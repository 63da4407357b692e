#include "core/label_selector.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace karpenter::core {
namespace {

using Op = LabelSelectorOperator;

std::string Outcome(const Result<void>& result) {
  return result.has_value() ? "ok" : result.error().message;
}

TEST(LabelSelectorOperator, ParsesOnlyTheFourSetOperators) {
  for (const char* text : {"In", "NotIn", "Exists", "DoesNotExist"}) {
    Result<Op> op = ParseLabelSelectorOperator(text);
    ASSERT_TRUE(op.has_value()) << text;
    EXPECT_EQ(ToString(*op), text);
  }
  for (const char* text : {"Gt", "Lt", "in", ""}) {
    EXPECT_FALSE(ParseLabelSelectorOperator(text).has_value()) << text;
  }
  EXPECT_EQ(ParseLabelSelectorOperator("Gt").error().message,
            "unknown label selector operator \"Gt\" (expected In, NotIn, Exists or DoesNotExist)");
}

TEST(LabelSelector, Matches) {
  struct Case {
    std::string name;
    LabelSelector selector;
    Labels labels;
    bool want;
  };
  const Labels web = {{"app", "web"}, {"tier", "frontend"}};
  const std::vector<Case> cases = {
      {"empty selector matches labels", {}, web, true},
      {"empty selector matches no labels", {}, {}, true},
      {"matchLabels equal", {{{"app", "web"}}, {}}, web, true},
      {"matchLabels all needed", {{{"app", "web"}, {"tier", "backend"}}, {}}, web, false},
      {"matchLabels absent key", {{{"team", "a"}}, {}}, web, false},
      {"matchLabels empty value needs the key", {{{"team", ""}}, {}}, web, false},
      {"In listed", {{}, {{"app", Op::In, {"api", "web"}}}}, web, true},
      {"In not listed", {{}, {{"app", Op::In, {"api"}}}}, web, false},
      {"In absent key", {{}, {{"team", Op::In, {"a"}}}}, web, false},
      {"In with no values", {{}, {{"app", Op::In, {}}}}, web, false},
      {"NotIn listed", {{}, {{"app", Op::NotIn, {"web"}}}}, web, false},
      {"NotIn not listed", {{}, {{"app", Op::NotIn, {"api"}}}}, web, true},
      {"NotIn absent key", {{}, {{"team", Op::NotIn, {"a"}}}}, web, true},
      {"Exists present", {{}, {{"app", Op::Exists, {}}}}, web, true},
      {"Exists absent", {{}, {{"team", Op::Exists, {}}}}, web, false},
      {"DoesNotExist absent", {{}, {{"team", Op::DoesNotExist, {}}}}, web, true},
      {"DoesNotExist present", {{}, {{"app", Op::DoesNotExist, {}}}}, web, false},
      {"labels and expressions both hold",
       {{{"app", "web"}}, {{"tier", Op::In, {"frontend"}}, {"team", Op::DoesNotExist, {}}}},
       web,
       true},
      {"one expression fails",
       {{{"app", "web"}}, {{"tier", Op::In, {"frontend"}}, {"app", Op::NotIn, {"web"}}}},
       web,
       false},
  };
  for (const Case& c : cases) EXPECT_EQ(c.selector.Matches(c.labels), c.want) << c.name;
}

TEST(LabelSelector, IsEmpty) {
  EXPECT_TRUE(LabelSelector{}.IsEmpty());
  EXPECT_FALSE((LabelSelector{{{"a", "b"}}, {}}).IsEmpty());
  EXPECT_FALSE((LabelSelector{{}, {{"a", Op::Exists, {}}}}).IsEmpty());
}

TEST(LabelSelector, Validate) {
  struct Case {
    LabelSelector selector;
    std::string want;
  };
  const std::vector<Case> cases = {
      {{}, "ok"},
      {{{{"app", "web"}},
        {{"a", Op::In, {"x"}},
         {"b", Op::NotIn, {"y"}},
         {"c", Op::Exists, {}},
         {"d", Op::DoesNotExist, {}}}},
       "ok"},
      {{{}, {{"a", Op::In, {}}}},
       "matchExpressions[0]: key \"a\": operator In needs at least one value"},
      {{{}, {{"a", Op::Exists, {}}, {"b", Op::NotIn, {}}}},
       "matchExpressions[1]: key \"b\": operator NotIn needs at least one value"},
      {{{}, {{"a", Op::Exists, {"x"}}}},
       "matchExpressions[0]: key \"a\": operator Exists takes no values"},
      {{{}, {{"a", Op::DoesNotExist, {"x"}}}},
       "matchExpressions[0]: key \"a\": operator DoesNotExist takes no values"},
      {{{}, {{"", Op::Exists, {}}}}, "matchExpressions[0]: key must not be empty"},
      {{{{"", "x"}}, {}}, "matchLabels: key must not be empty"},
  };
  for (const Case& c : cases) EXPECT_EQ(Outcome(c.selector.Validate()), c.want) << c.want;
}

}  // namespace
}  // namespace karpenter::core
