// NodeRequirements and the cache the controllers keep them in between scheduling runs.
#include <gtest/gtest.h>

#include <vector>

#include "scheduling/cluster_nodes.h"

namespace karpenter::scheduling {
namespace {

ExistingNode Node(std::string name, core::Labels labels) {
  ExistingNode node;
  node.name = std::move(name);
  node.labels = std::move(labels);
  return node;
}

TEST(NodeRequirements, AreTheLabelsWithTheHostnameFallingBackToTheName) {
  EXPECT_EQ(NodeRequirements(Node("n1", {{"topology.kubernetes.io/zone", "zone-a"}})).ToString(),
            "kubernetes.io/hostname In [n1], topology.kubernetes.io/zone In [zone-a]");
  EXPECT_EQ(NodeRequirements(Node("n1", {{"kubernetes.io/hostname", "ip-10-0-0-1"}})).ToString(),
            "kubernetes.io/hostname In [ip-10-0-0-1]");
}

TEST(NodeRequirementsCache, ReusesWhileTheLabelsStayAndForgetsGoneNodes) {
  NodeRequirementsCache cache;
  std::vector<ExistingNode> first = {Node("a", {{"zone", "1"}}), Node("b", {{"zone", "2"}})};
  cache.Fill(first);
  ASSERT_NE(first[0].requirements, nullptr);
  EXPECT_EQ(*first[0].requirements, NodeRequirements(first[0]));
  EXPECT_EQ(*first[1].requirements, NodeRequirements(first[1]));

  // Same name and labels: the same object. Other labels: derived again.
  std::vector<ExistingNode> second = {Node("a", {{"zone", "1"}}), Node("b", {{"zone", "3"}})};
  cache.Fill(second);
  EXPECT_EQ(second[0].requirements, first[0].requirements);
  EXPECT_NE(second[1].requirements, first[1].requirements);
  EXPECT_EQ(*second[1].requirements, NodeRequirements(second[1]));

  // "a" was not in the last fill: forgotten, so a node of that name later is derived afresh.
  std::vector<ExistingNode> third = {Node("b", {{"zone", "3"}})};
  cache.Fill(third);
  EXPECT_EQ(third[0].requirements, second[1].requirements);
  std::vector<ExistingNode> fourth = {Node("a", {{"zone", "1"}})};
  cache.Fill(fourth);
  EXPECT_NE(fourth[0].requirements, first[0].requirements);
  EXPECT_EQ(*fourth[0].requirements, NodeRequirements(fourth[0]));
}

}  // namespace
}  // namespace karpenter::scheduling
