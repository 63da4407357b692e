#include "sim/names.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace karpenter::sim {
namespace {

bool InAlphabet(const std::string& text) {
  return text.find_first_not_of(kNameAlphabet) == std::string::npos;
}

TEST(NameSuffix, FiveCharactersOfTheAlphabet) {
  std::set<std::string> seen;
  for (uint64_t i = 0; i < 1000; ++i) {
    const std::string suffix = NameSuffix(StableHash(std::to_string(i)));
    EXPECT_EQ(suffix.size(), 5u);
    EXPECT_TRUE(InAlphabet(suffix)) << suffix;
    seen.insert(suffix);
  }
  EXPECT_GT(seen.size(), 990u);  // 27^5 values: collisions are rare
  EXPECT_EQ(NameSuffix(0, 3), "bbb");
  EXPECT_EQ(NameSuffix(1, 3), "cbb");
}

TEST(StableHash, DependsOnTextAndSeedOnly) {
  EXPECT_EQ(StableHash("default"), StableHash("default"));
  EXPECT_NE(StableHash("default"), StableHash("defaulu"));
  EXPECT_NE(StableHash("default", 1), StableHash("default", 2));
}

TEST(PodTemplateHash, EqualTemplatesHashEqually) {
  const api::Json a = api::Json::parse(R"({"metadata": {"labels": {"app": "x"}}})");
  const api::Json b = api::Json::parse(R"({"metadata": {"labels": {"app": "y"}}})");
  EXPECT_EQ(PodTemplateHash(a), PodTemplateHash(api::Json::parse(a.dump())));
  EXPECT_NE(PodTemplateHash(a), PodTemplateHash(b));
  EXPECT_TRUE(InAlphabet(PodTemplateHash(a)));
  // The decimal digits of a 32-bit hash, one character each: 1 to 10 characters.
  EXPECT_GE(PodTemplateHash(a).size(), 1u);
  EXPECT_LE(PodTemplateHash(a).size(), 10u);
}

TEST(NameGenerator, DeterministicAndNeverTaken) {
  NameGenerator first(7), second(7);
  const std::string a1 = first.Generate("default-");
  const std::string a2 = first.Generate("default-");
  EXPECT_NE(a1, a2);
  EXPECT_EQ(second.Generate("default-"), a1);
  EXPECT_EQ(second.Generate("default-"), a2);
  EXPECT_EQ(a1.rfind("default-", 0), 0u);
  EXPECT_EQ(a1.size(), std::string("default-").size() + 5);
  EXPECT_TRUE(InAlphabet(a1.substr(8)));
  // A name the input already uses is skipped.
  NameGenerator third(7);
  third.Reserve(a1);
  EXPECT_TRUE(third.IsTaken(a1));
  const std::string b1 = third.Generate("default-");
  EXPECT_NE(b1, a1);
  EXPECT_EQ(b1, a2);
}

}  // namespace
}  // namespace karpenter::sim
