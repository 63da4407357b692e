#include "core/taint.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace karpenter::core {
namespace {

using E = TaintEffect;
using TOp = TolerationOperator;

std::string Outcome(const Result<void>& result) {
  return result.has_value() ? "ok" : result.error().message;
}

TEST(TaintEffect, ParsesAndPrints) {
  for (const char* text : {"NoSchedule", "PreferNoSchedule", "NoExecute"}) {
    Result<E> effect = ParseTaintEffect(text);
    ASSERT_TRUE(effect.has_value()) << text;
    EXPECT_EQ(ToString(*effect), text);
  }
  EXPECT_EQ(ParseTaintEffect("noschedule").error().message,
            "unknown taint effect \"noschedule\" (expected NoSchedule, PreferNoSchedule or "
            "NoExecute)");
  EXPECT_FALSE(ParseTaintEffect("").has_value());
}

TEST(TaintEffect, EmptyTolerationEffectMeansAll) {
  Result<std::optional<E>> all = ParseTolerationEffect("");
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(*all, std::nullopt);
  Result<std::optional<E>> one = ParseTolerationEffect("NoExecute");
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(*one, std::optional<E>(E::NoExecute));
  EXPECT_FALSE(ParseTolerationEffect("Never").has_value());
}

TEST(TolerationOperator, EmptyMeansEqual) {
  EXPECT_EQ(ParseTolerationOperator("").value(), TOp::Equal);
  EXPECT_EQ(ParseTolerationOperator("Equal").value(), TOp::Equal);
  EXPECT_EQ(ParseTolerationOperator("Exists").value(), TOp::Exists);
  EXPECT_EQ(ParseTolerationOperator("exists").error().message,
            "unknown toleration operator \"exists\" (expected Equal or Exists)");
  EXPECT_EQ(ToString(TOp::Equal), "Equal");
  EXPECT_EQ(ToString(TOp::Exists), "Exists");
}

TEST(Taint, ToStringAsKubectlPrintsIt) {
  EXPECT_EQ((Taint{"dedicated", "gpu", E::NoSchedule}).ToString(), "dedicated=gpu:NoSchedule");
  EXPECT_EQ((Taint{"node.kubernetes.io/unreachable", "", E::NoExecute}).ToString(),
            "node.kubernetes.io/unreachable:NoExecute");
  EXPECT_EQ((Taint{"spot", "true", E::PreferNoSchedule}).ToString(), "spot=true:PreferNoSchedule");
}

TEST(Tolerates, KubernetesRules) {
  struct Case {
    std::string name;
    Toleration toleration;
    Taint taint;
    bool want;
  };
  const Taint gpu = {"dedicated", "gpu", E::NoSchedule};
  const std::vector<Case> cases = {
      {"empty key Exists tolerates everything", {"", TOp::Exists, "", {}, {}}, gpu, true},
      {"empty key Exists tolerates NoExecute",
       {"", TOp::Exists, "", {}, {}},
       {"x", "y", E::NoExecute},
       true},
      {"empty key Exists with effect limits the effect",
       {"", TOp::Exists, "", E::NoExecute, {}},
       gpu,
       false},
      {"empty key Exists with matching effect",
       {"", TOp::Exists, "", E::NoSchedule, {}},
       gpu,
       true},
      {"empty key Equal compares values only", {"", TOp::Equal, "gpu", {}, {}}, gpu, true},
      {"empty key Equal with other value", {"", TOp::Equal, "cpu", {}, {}}, gpu, false},
      {"Equal same key, value, effect",
       {"dedicated", TOp::Equal, "gpu", E::NoSchedule, {}},
       gpu,
       true},
      {"Equal value mismatch", {"dedicated", TOp::Equal, "cpu", E::NoSchedule, {}}, gpu, false},
      {"Equal empty value against a valued taint",
       {"dedicated", TOp::Equal, "", {}, {}},
       gpu,
       false},
      {"Equal empty value against an unvalued taint",
       {"dedicated", TOp::Equal, "", {}, {}},
       {"dedicated", "", E::NoSchedule},
       true},
      {"Equal with empty effect matches any effect",
       {"dedicated", TOp::Equal, "gpu", {}, {}},
       {"dedicated", "gpu", E::NoExecute},
       true},
      {"Exists ignores value", {"dedicated", TOp::Exists, "", {}, {}}, gpu, true},
      {"Exists ignores even a given value", {"dedicated", TOp::Exists, "other", {}, {}}, gpu, true},
      {"key mismatch", {"team", TOp::Exists, "", {}, {}}, gpu, false},
      {"keys are case-sensitive", {"Dedicated", TOp::Exists, "", {}, {}}, gpu, false},
      {"effect mismatch", {"dedicated", TOp::Equal, "gpu", E::NoExecute, {}}, gpu, false},
      {"PreferNoSchedule toleration vs NoSchedule taint",
       {"dedicated", TOp::Exists, "", E::PreferNoSchedule, {}},
       gpu,
       false},
      {"PreferNoSchedule toleration vs PreferNoSchedule taint",
       {"spot", TOp::Equal, "true", E::PreferNoSchedule, {}},
       {"spot", "true", E::PreferNoSchedule},
       true},
      {"NoSchedule toleration vs PreferNoSchedule taint",
       {"spot", TOp::Equal, "true", E::NoSchedule, {}},
       {"spot", "true", E::PreferNoSchedule},
       false},
      {"tolerationSeconds does not affect matching",
       {"node.kubernetes.io/unreachable", TOp::Exists, "", E::NoExecute, 300},
       {"node.kubernetes.io/unreachable", "", E::NoExecute},
       true},
  };
  for (const Case& c : cases) EXPECT_EQ(Tolerates(c.toleration, c.taint), c.want) << c.name;
}

TEST(ToleratesAll, NamesTheFirstUntoleratedTaint) {
  const std::vector<Taint> taints = {
      {"dedicated", "gpu", E::NoSchedule},
      {"spot", "", E::NoSchedule},
      {"team", "a", E::NoExecute},
  };
  EXPECT_EQ(Outcome(ToleratesAll({}, {})), "ok");
  EXPECT_EQ(Outcome(ToleratesAll({}, taints)),
            "did not tolerate taint (taint=dedicated=gpu:NoSchedule)");
  EXPECT_EQ(Outcome(ToleratesAll({{"dedicated", TOp::Equal, "gpu", {}, {}}}, taints)),
            "did not tolerate taint (taint=spot:NoSchedule)");
  EXPECT_EQ(
      Outcome(ToleratesAll(
          {{"dedicated", TOp::Equal, "gpu", {}, {}}, {"spot", TOp::Exists, "", {}, {}}}, taints)),
      "did not tolerate taint (taint=team=a:NoExecute)");
  EXPECT_EQ(Outcome(ToleratesAll({{"dedicated", TOp::Equal, "gpu", {}, {}},
                                  {"spot", TOp::Exists, "", {}, {}},
                                  {"team", TOp::Equal, "a", E::NoExecute, 60}},
                                 taints)),
            "ok");
  EXPECT_EQ(Outcome(ToleratesAll({{"", TOp::Exists, "", {}, {}}}, taints)), "ok");
}

}  // namespace
}  // namespace karpenter::core
