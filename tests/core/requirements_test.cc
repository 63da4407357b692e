#include "core/requirements.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace karpenter::core {
namespace {

Requirement Req(std::string key, Operator op, std::vector<std::string> values = {}) {
  Result<Requirement> r = Requirement::From({std::move(key), op, std::move(values), std::nullopt});
  EXPECT_TRUE(r.has_value()) << r.error().message;
  return r.has_value() ? *r : Requirement::DoesNotExist("invalid");
}

Requirements Of(std::vector<Requirement> items) {
  Requirements out;
  for (const Requirement& r : items) out.Add(r);
  return out;
}

// "ok", or the error message.
std::string Outcome(const Result<void>& result) {
  return result.has_value() ? "ok" : result.error().message;
}

TEST(Requirements, AddIntersectsRequirementsOnTheSameKey) {
  Requirements r;
  r.Add(Req("zone", Operator::In, {"a", "b"}));
  r.Add(Req("zone", Operator::In, {"b", "c"}));
  r.Add(Req("arch", Operator::NotIn, {"arm64"}));
  EXPECT_EQ(r.size(), 2u);
  EXPECT_EQ(r.Get("zone").ToString(), "zone In [b]");
  EXPECT_EQ(r.Keys(), (std::vector<std::string>{"arch", "zone"}));
  EXPECT_EQ(r.ToString(), "arch NotIn [arm64], zone In [b]");
}

TEST(Requirements, GetOfAnAbsentKeyIsExists) {
  Requirements r = Of({Req("zone", Operator::In, {"a"})});
  EXPECT_TRUE(r.Has("zone"));
  EXPECT_FALSE(r.Has("arch"));
  EXPECT_EQ(r.Get("arch"), Requirement::Exists("arch"));
  EXPECT_FALSE(r.Has("arch"));  // Get does not insert
}

TEST(Requirements, FromNodeSelector) {
  Requirements r = Requirements::FromNodeSelector({{"zone", "a"}, {"arch", "amd64"}});
  EXPECT_EQ(r.ToString(), "arch In [amd64], zone In [a]");
}

TEST(Requirements, FromNodeSelectorRequirementsIntersectsAndReportsErrors) {
  Result<Requirements> r = Requirements::FromNodeSelectorRequirements({
      {"cpu", Operator::Gt, {"2"}, std::nullopt},
      {"cpu", Operator::Lt, {"9"}, std::nullopt},
      {"zone", Operator::In, {"a", "b"}, 2},
  });
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->ToString(), "cpu Exists >=3 <=8, zone In [a b] minValues 2");
  EXPECT_EQ(r->ToNodeSelectorRequirements(), (std::vector<NodeSelectorRequirement>{
                                                 {"cpu", Operator::Gte, {"3"}, std::nullopt},
                                                 {"cpu", Operator::Lte, {"8"}, std::nullopt},
                                                 {"zone", Operator::In, {"a", "b"}, 2},
                                             }));

  Result<Requirements> bad = Requirements::FromNodeSelectorRequirements({
      {"zone", Operator::In, {"a"}, std::nullopt},
      {"cpu", Operator::Gt, {"two"}, std::nullopt},
  });
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message,
            "key \"cpu\": operator Gt needs exactly one integer value, got [\"two\"]");
}

struct CompatibleCase {
  std::string name;
  Requirements existing;  // e.g. the NodePool or node
  Requirements incoming;  // e.g. the pod
  AllowUndefinedKeys allow_undefined;
  std::string want;
};

TEST(Requirements, Compatible) {
  const std::vector<CompatibleCase> cases = {
      {"overlapping values",
       Of({Req("zone", Operator::In, {"a", "b"})}),
       Of({Req("zone", Operator::In, {"b"})}),
       {},
       "ok"},
      {"disjoint values",
       Of({Req("zone", Operator::In, {"a"})}),
       Of({Req("zone", Operator::In, {"b"})}),
       {},
       "key zone, zone In [b] not in zone In [a]"},
      {"undefined custom label",
       Of({Req("zone", Operator::In, {"a"})}),
       Of({Req("team", Operator::In, {"x"})}),
       {},
       "label \"team\" does not have known values"},
      {"undefined label allowed by policy",
       Of({}),
       Of({Req("team", Operator::In, {"x"})}),
       {"team"},
       "ok"},
      {"undefined label with NotIn", Of({}), Of({Req("team", Operator::NotIn, {"x"})}), {}, "ok"},
      {"undefined label with DoesNotExist",
       Of({}),
       Of({Req("team", Operator::DoesNotExist)}),
       {},
       "ok"},
      {"undefined label with Exists",
       Of({}),
       Of({Req("team", Operator::Exists)}),
       {},
       "label \"team\" does not have known values"},
      {"undefined label with Gt",
       Of({}),
       Of({Req("cpu", Operator::Gt, {"3"})}),
       {},
       "label \"cpu\" does not have known values"},
      {"hint from an allowed well-known key containing the key",
       Of({}),
       Of({Req("zone", Operator::In, {"a"})}),
       {"kubernetes.io/arch", "topology.kubernetes.io/zone"},
       "label \"zone\" does not have known values (typo of \"topology.kubernetes.io/zone\"?)"},
      {"hint from a defined key with the same suffix",
       Of({Req("example.com/team", Operator::In, {"a"})}),
       Of({Req("other.io/team", Operator::In, {"a"})}),
       {},
       "label \"other.io/team\" does not have known values (typo of \"example.com/team\"?)"},
      {"first undefined key in key order, before any intersection check",
       Of({Req("zone", Operator::In, {"a"})}),
       Of({Req("zone", Operator::In, {"b"}), Req("beta", Operator::In, {"x"}),
           Req("alpha", Operator::In, {"x"})}),
       {},
       "label \"alpha\" does not have known values"},
      {"allowed undefined key still has to intersect when defined",
       Of({Req("zone", Operator::In, {"a"})}),
       Of({Req("zone", Operator::In, {"b"})}),
       {"zone"},
       "key zone, zone In [b] not in zone In [a]"},
      {"DoesNotExist against NotIn is excused",
       Of({Req("k", Operator::DoesNotExist)}),
       Of({Req("k", Operator::NotIn, {"a"})}),
       {},
       "ok"},
      {"NotIn against DoesNotExist is excused",
       Of({Req("k", Operator::NotIn, {"a"})}),
       Of({Req("k", Operator::DoesNotExist)}),
       {},
       "ok"},
      {"DoesNotExist against DoesNotExist is excused",
       Of({Req("k", Operator::DoesNotExist)}),
       Of({Req("k", Operator::DoesNotExist)}),
       {},
       "ok"},
      {"DoesNotExist against In",
       Of({Req("k", Operator::In, {"a"})}),
       Of({Req("k", Operator::DoesNotExist)}),
       {},
       "key k, k DoesNotExist not in k In [a]"},
      {"DoesNotExist against Exists",
       Of({Req("k", Operator::Exists)}),
       Of({Req("k", Operator::DoesNotExist)}),
       {},
       "key k, k DoesNotExist not in k Exists"},
      {"In against DoesNotExist",
       Of({Req("k", Operator::DoesNotExist)}),
       Of({Req("k", Operator::In, {"a"})}),
       {},
       "key k, k In [a] not in k DoesNotExist"},
      {"bounds that do not overlap",
       Of({Req("cpu", Operator::Lt, {"4"})}),
       Of({Req("cpu", Operator::Gt, {"8"})}),
       {},
       "key cpu, cpu Exists >=9 not in cpu Exists <=3"},
      {"value inside bounds",
       Of({Req("cpu", Operator::In, {"4", "16"})}),
       Of({Req("cpu", Operator::Gt, {"8"})}),
       {},
       "ok"},
      {"every failing key is reported",
       Of({Req("a", Operator::In, {"1"}), Req("b", Operator::In, {"1"})}),
       Of({Req("a", Operator::In, {"2"}), Req("b", Operator::In, {"2"})}),
       {},
       "key a, a In [2] not in a In [1]; key b, b In [2] not in b In [1]"},
      {"keys only the existing side defines are fine",
       Of({Req("zone", Operator::In, {"a"}), Req("arch", Operator::In, {"amd64"})}),
       Of({Req("zone", Operator::In, {"a"})}),
       {},
       "ok"},
  };
  for (const CompatibleCase& c : cases) {
    EXPECT_EQ(Outcome(c.existing.Compatible(c.incoming, c.allow_undefined)), c.want) << c.name;
  }
}

TEST(Requirements, IntersectsIgnoresKeysDefinedOnOneSide) {
  Requirements node = Of({Req("zone", Operator::In, {"a"})});
  Requirements pod = Of({Req("team", Operator::In, {"x"}), Req("zone", Operator::In, {"a"})});
  EXPECT_EQ(Outcome(node.Intersects(pod)), "ok");
  EXPECT_EQ(Outcome(node.Compatible(pod)), "label \"team\" does not have known values");
}

TEST(Requirements, Matches) {
  struct Case {
    Requirement requirement;
    Labels labels;
    bool want;
  };
  const Requirement bounded_not_in =
      Req("k", Operator::NotIn, {"7"}).Intersection(Req("k", Operator::Gt, {"5"}));
  const std::vector<Case> cases = {
      {Req("k", Operator::In, {"a"}), {{"k", "a"}}, true},
      {Req("k", Operator::In, {"a"}), {{"k", "b"}}, false},
      {Req("k", Operator::In, {"a"}), {}, false},
      {Req("k", Operator::NotIn, {"a"}), {}, true},
      {Req("k", Operator::NotIn, {"a"}), {{"k", "a"}}, false},
      {Req("k", Operator::NotIn, {"a"}), {{"k", "b"}}, true},
      {Req("k", Operator::Exists), {}, false},
      {Req("k", Operator::Exists), {{"k", ""}}, true},
      {Req("k", Operator::DoesNotExist), {}, true},
      {Req("k", Operator::DoesNotExist), {{"k", "x"}}, false},
      {Req("k", Operator::Gt, {"3"}), {{"k", "4"}}, true},
      {Req("k", Operator::Gt, {"3"}), {{"k", "3"}}, false},
      {Req("k", Operator::Gt, {"3"}), {{"k", "x"}}, false},
      {Req("k", Operator::Gt, {"3"}), {}, false},
      {Req("k", Operator::Lt, {"3"}), {}, false},
      {bounded_not_in, {}, false},
      {bounded_not_in, {{"k", "6"}}, true},
      {bounded_not_in, {{"k", "7"}}, false},
      {Req("k", Operator::In, {"a"}), {{"other", "a"}, {"k", "a"}}, true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Of({c.requirement}).Matches(c.labels), c.want)
        << c.requirement.ToString() << " with " << c.labels.size() << " labels";
  }
}

TEST(Requirements, MatchesNeedsEveryRequirement) {
  Requirements r = Of({Req("zone", Operator::In, {"a", "b"}), Req("arch", Operator::In, {"amd64"}),
                       Req("spot", Operator::DoesNotExist)});
  EXPECT_TRUE(r.Matches({{"zone", "b"}, {"arch", "amd64"}, {"extra", "x"}}));
  EXPECT_FALSE(r.Matches({{"zone", "b"}, {"arch", "arm64"}}));
  EXPECT_FALSE(r.Matches({{"zone", "b"}, {"arch", "amd64"}, {"spot", "true"}}));
  EXPECT_TRUE(Requirements().Matches({}));
  EXPECT_TRUE(Requirements().Matches({{"any", "thing"}}));
}

TEST(Requirements, ContradictoryInRequirementsActAsDoesNotExist) {
  // As upstream: In [a] ∩ In [b] is the empty set, which reads as DoesNotExist.
  Requirements r = Of({Req("zone", Operator::In, {"a"}), Req("zone", Operator::In, {"b"})});
  EXPECT_EQ(r.ToString(), "zone DoesNotExist");
  EXPECT_TRUE(r.Matches({}));
  EXPECT_FALSE(r.Matches({{"zone", "a"}}));
}

}  // namespace
}  // namespace karpenter::core
