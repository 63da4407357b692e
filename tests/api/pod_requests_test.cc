#include "api/model/pod_requests.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace karpenter::api {
namespace {

core::ResourceList R(std::initializer_list<std::pair<std::string_view, std::string_view>> list) {
  return *core::ResourceList::Parse(list);
}

Container C(std::string name, core::ResourceList requests, core::ResourceList limits = {}) {
  Container container;
  container.name = std::move(name);
  container.resources.requests = std::move(requests);
  container.resources.limits = std::move(limits);
  return container;
}

Container Sidecar(std::string name, core::ResourceList requests) {
  Container container = C(std::move(name), std::move(requests));
  container.restart_policy = "Always";
  return container;
}

TEST(PodRequests, SumsRegularContainers) {
  PodSpec spec;
  spec.containers = {C("a", R({{"cpu", "1"}, {"memory", "1Gi"}})), C("b", R({{"cpu", "500m"}}))};
  EXPECT_EQ(EffectiveRequests(spec), R({{"cpu", "1500m"}, {"memory", "1Gi"}}));
}

TEST(PodRequests, EmptyPodRequestsNothingAndPodsIsNotAdded) {
  EXPECT_EQ(EffectiveRequests(PodSpec{}), core::ResourceList{});
  PodSpec spec;
  spec.containers = {C("a", R({{"cpu", "1"}}))};
  EXPECT_FALSE(EffectiveRequests(spec).Contains("pods"));
}

TEST(PodRequests, InitContainerLargerThanTheSumWinsPerResource) {
  PodSpec spec;
  spec.init_containers = {C("migrate", R({{"cpu", "4"}})), C("warm", R({{"cpu", "2"}, {"memory", "3Gi"}}))};
  spec.containers = {C("a", R({{"cpu", "1"}, {"memory", "1Gi"}})),
                     C("b", R({{"cpu", "1"}, {"memory", "1Gi"}}))};
  // cpu: max(2, 4) from the first init container; memory: max(2Gi, 3Gi) from the second.
  EXPECT_EQ(EffectiveRequests(spec), R({{"cpu", "4"}, {"memory", "3Gi"}}));
}

TEST(PodRequests, InitContainerSmallerThanTheSumDoesNotCount) {
  PodSpec spec;
  spec.init_containers = {C("init", R({{"cpu", "1"}, {"ephemeral-storage", "1Gi"}}))};
  spec.containers = {C("a", R({{"cpu", "2"}}))};
  // A resource only the init container asks for still counts.
  EXPECT_EQ(EffectiveRequests(spec), R({{"cpu", "2"}, {"ephemeral-storage", "1Gi"}}));
}

TEST(PodRequests, LimitsOnlyMeansRequestsEqualLimits) {
  PodSpec spec;
  spec.containers = {C("a", R({{"memory", "512Mi"}}), R({{"cpu", "2"}, {"memory", "1Gi"}})),
                     C("b", {}, R({{"nvidia.com/gpu", "1"}}))};
  EXPECT_EQ(EffectiveRequests(spec),
            R({{"cpu", "2"}, {"memory", "512Mi"}, {"nvidia.com/gpu", "1"}}));
  EXPECT_EQ(ContainerRequests(spec.containers[0]), R({{"cpu", "2"}, {"memory", "512Mi"}}));
}

TEST(PodRequests, LimitsOnlyAppliesToInitContainersToo) {
  PodSpec spec;
  spec.init_containers = {C("init", {}, R({{"cpu", "3"}}))};
  spec.containers = {C("a", R({{"cpu", "1"}}))};
  EXPECT_EQ(EffectiveRequests(spec), R({{"cpu", "3"}}));
}

TEST(PodRequests, SidecarsRunBesideRegularContainers) {
  PodSpec spec;
  spec.init_containers = {Sidecar("proxy", R({{"cpu", "500m"}, {"memory", "128Mi"}}))};
  spec.containers = {C("app", R({{"cpu", "1"}, {"memory", "1Gi"}}))};
  EXPECT_EQ(EffectiveRequests(spec), R({{"cpu", "1500m"}, {"memory", "1152Mi"}}));
}

TEST(PodRequests, InitContainerCountsOnlySidecarsStartedBeforeIt) {
  // init(3) runs before the sidecar starts: peak 3; steady state 1 + 1 = 2.
  PodSpec before;
  before.init_containers = {C("init", R({{"cpu", "3"}})), Sidecar("proxy", R({{"cpu", "1"}}))};
  before.containers = {C("app", R({{"cpu", "1"}}))};
  EXPECT_EQ(EffectiveRequests(before), R({{"cpu", "3"}}));

  // init(3) runs while the sidecar runs: peak 3 + 1 = 4.
  PodSpec after;
  after.init_containers = {Sidecar("proxy", R({{"cpu", "1"}})), C("init", R({{"cpu", "3"}}))};
  after.containers = {C("app", R({{"cpu", "1"}}))};
  EXPECT_EQ(EffectiveRequests(after), R({{"cpu", "4"}}));
}

TEST(PodRequests, SidecarStartCountsEarlierSidecars) {
  // Steps: s1 = 1, init = 2 + 1 = 3, s2 = 1 + 2.5 = 3.5; steady = 0.5 + 1 + 2.5 = 4.
  PodSpec spec;
  spec.init_containers = {Sidecar("s1", R({{"cpu", "1"}})), C("init", R({{"cpu", "2"}})),
                          Sidecar("s2", R({{"cpu", "2500m"}}))};
  spec.containers = {C("app", R({{"cpu", "500m"}}))};
  EXPECT_EQ(EffectiveRequests(spec), R({{"cpu", "4"}}));

  // With a larger init container the init phase dominates: 6 + 1 = 7 > 4.
  spec.init_containers[1] = C("init", R({{"cpu", "6"}}));
  EXPECT_EQ(EffectiveRequests(spec), R({{"cpu", "7"}}));
}

TEST(PodRequests, OverheadIsAddedAfterTheMaximum) {
  PodSpec spec;
  spec.init_containers = {C("init", R({{"cpu", "4"}}))};
  spec.containers = {C("a", R({{"cpu", "1"}, {"memory", "1Gi"}}))};
  spec.overhead = R({{"cpu", "250m"}, {"memory", "120Mi"}});
  EXPECT_EQ(EffectiveRequests(spec), R({{"cpu", "4250m"}, {"memory", "1144Mi"}}));
  Pod pod;
  pod.spec = spec;
  EXPECT_EQ(EffectiveRequests(pod), EffectiveRequests(spec));
}

}  // namespace
}  // namespace karpenter::api
