#include "api/codec/pdb_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/model/int_or_percent.h"
#include "karpenter_codec_test_util.h"

namespace karpenter::api {
namespace {

using codec::DecodePodDisruptionBudget;
using codec::EncodePodDisruptionBudget;
using karpenter_codec_testing::Describe;
using karpenter_codec_testing::Yaml;

const std::string kPercentMessage =
    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or "
    "'93%', regex used for validation is '[0-9]+%')";

TEST(IntOrPercent, ParsesPercentagesOnly) {
  EXPECT_EQ(IntOrPercent::ParsePercent("50%").value(), IntOrPercent::Percent(50));
  EXPECT_EQ(IntOrPercent::ParsePercent("0%").value(), IntOrPercent::Percent(0));
  EXPECT_EQ(IntOrPercent::ParsePercent("150%").value(), IntOrPercent::Percent(150));
  for (std::string_view bad : {"50", "", "%", "5.5%", "-1%", " 5%", "5 %", "99999999999%"}) {
    Result<IntOrPercent> parsed = IntOrPercent::ParsePercent(bad);
    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_EQ(parsed.error().message, kPercentMessage);
  }
  EXPECT_EQ(IntOrPercent::Percent(50).ToString(), "50%");
  EXPECT_EQ(IntOrPercent::Count(3).ToString(), "3");
}

TEST(IntOrPercent, ScalesLikeUpstream) {
  EXPECT_EQ(IntOrPercent::Count(3).Scaled(10, true), 3);
  EXPECT_EQ(IntOrPercent::Percent(50).Scaled(5, true), 3);
  EXPECT_EQ(IntOrPercent::Percent(50).Scaled(5, false), 2);
  EXPECT_EQ(IntOrPercent::Percent(100).Scaled(7, true), 7);
  EXPECT_EQ(IntOrPercent::Percent(10).Scaled(0, true), 0);
  EXPECT_EQ(IntOrPercent::Percent(1).Scaled(1, true), 1);
  EXPECT_EQ(IntOrPercent::Percent(1).Scaled(1, false), 0);
}

constexpr std::string_view kPdb = R"(apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: team-a
  generation: 2
spec:
  minAvailable: 50%
  selector:
    matchLabels:
      app: web
  unhealthyPodEvictionPolicy: AlwaysAllow
status:
  observedGeneration: 2
  disruptionsAllowed: 1
  currentHealthy: 3
  desiredHealthy: 2
  expectedPods: 3
  conditions:
    - type: DisruptionAllowed
      status: "True"
)";

TEST(PdbCodec, DecodesEveryModelledField) {
  FieldErrors errors;
  PodDisruptionBudget pdb = DecodePodDisruptionBudget(Yaml(kPdb), errors);
  EXPECT_EQ(Describe(errors), std::vector<std::string>{});
  EXPECT_EQ(pdb.metadata.name, "web");
  EXPECT_EQ(pdb.selector->match_labels, (Labels{{"app", "web"}}));
  EXPECT_EQ(pdb.min_available, IntOrPercent::Percent(50));
  EXPECT_FALSE(pdb.max_unavailable.has_value());
  EXPECT_EQ(pdb.unhealthy_pod_eviction_policy, UnhealthyPodEvictionPolicy::kAlwaysAllow);
  ASSERT_TRUE(pdb.status.has_value());
  EXPECT_EQ(*pdb.status, (PodDisruptionBudgetStatus{2, 1, 3, 2, 3}));
}

TEST(PdbCodec, RoundTripKeepsTheInputExactly) {
  const Json input = Yaml(kPdb);
  FieldErrors errors;
  EXPECT_EQ(EncodePodDisruptionBudget(DecodePodDisruptionBudget(input, errors)).dump(2),
            input.dump(2));
}

TEST(PdbCodec, MaxUnavailableCountWithoutStatus) {
  const Json input = Yaml(R"(apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: db}
spec:
  maxUnavailable: 1
  selector: {}
)");
  FieldErrors errors;
  PodDisruptionBudget pdb = DecodePodDisruptionBudget(input, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(pdb.max_unavailable, IntOrPercent::Count(1));
  ASSERT_TRUE(pdb.selector.has_value());
  EXPECT_TRUE(pdb.selector->IsEmpty());  // selects every pod of the namespace
  EXPECT_FALSE(pdb.status.has_value());
  EXPECT_FALSE(pdb.unhealthy_pod_eviction_policy.has_value());
  EXPECT_EQ(EncodePodDisruptionBudget(pdb).dump(), input.dump());

  pdb.max_unavailable = IntOrPercent::Percent(25);
  pdb.selector.reset();
  EXPECT_EQ(EncodePodDisruptionBudget(pdb)["spec"], Json::parse(R"({"maxUnavailable":"25%"})"));
}

TEST(PdbCodec, EncodesDefaultMinimally) {
  EXPECT_EQ(EncodePodDisruptionBudget(PodDisruptionBudget{}),
            Json::parse(R"({"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{}})"));
}

TEST(PdbValidation, ApiServerRules) {
  FieldErrors errors;
  PodDisruptionBudget pdb = DecodePodDisruptionBudget(Yaml(R"(apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: x}
spec:
  minAvailable: 2
  maxUnavailable: 50%
  selector:
    matchExpressions: [{key: app, operator: Within, values: [a]}]
  unhealthyPodEvictionPolicy: Never
)"),
                                                      errors);
  EXPECT_EQ(Describe(errors),
            (std::vector<std::string>{
                "/spec/selector/matchExpressions/0/operator: Invalid value: \"Within\": not a "
                "valid selector operator",
                "/spec: Invalid value: {\"minAvailable\":2,\"maxUnavailable\":\"50%\"}: "
                "minAvailable and maxUnavailable cannot be both set",
                "/spec/unhealthyPodEvictionPolicy: Unsupported value: \"Never\": supported "
                "values: \"AlwaysAllow\", \"IfHealthyBudget\"",
            }));
  EXPECT_EQ(pdb.min_available, IntOrPercent::Count(2));
  EXPECT_EQ(pdb.max_unavailable, IntOrPercent::Percent(50));

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"minAvailable: -1", "/spec/minAvailable: Invalid value: -1: must be greater than or equal to 0"},
      {"minAvailable: \"3\"", "/spec/minAvailable: Invalid value: \"3\": " + kPercentMessage},
      {"maxUnavailable: 120%", "/spec/maxUnavailable: Invalid value: \"120%\": must not be greater than 100%"},
      {"maxUnavailable: 1.5", "/spec/maxUnavailable: must be an integer or a string, not number"},
      {"maxUnavailable: 3000000000", "/spec/maxUnavailable: must be a 32-bit integer, not 3000000000"},
  };
  for (const auto& [field, expected] : cases) {
    errors.clear();
    DecodePodDisruptionBudget(
        Yaml("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: x}\nspec:\n  " +
             field + "\n"),
        errors);
    EXPECT_EQ(Describe(errors), std::vector<std::string>{expected}) << field;
  }
}

}  // namespace
}  // namespace karpenter::api
