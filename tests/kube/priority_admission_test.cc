// The Priority admission of the in-memory cluster (kube/priority_admission.h): what a pod's
// spec.priority becomes when it is created.
#include "kube/priority_admission.h"

#include <gtest/gtest.h>

#include <string>

#include "kube/memory_cluster.h"
#include "kube_test_util.h"

namespace karpenter::kube {
namespace {

using testing::ErrorOf;
using testing::MakePod;

class PriorityAdmissionTest : public ::testing::Test {
 protected:
  void AddClass(std::string name, int32_t value, bool global_default = false,
                std::optional<api::PreemptionPolicy> policy = std::nullopt) {
    api::PriorityClass priority_class;
    priority_class.metadata.name = std::move(name);
    priority_class.value = value;
    priority_class.global_default = global_default;
    priority_class.preemption_policy = policy;
    ASSERT_TRUE(cluster_.PriorityClasses().Create(priority_class).has_value());
  }
  // Creates `pod` and returns the stored version (fails the test when refused).
  api::Pod Admitted(api::Pod pod) {
    auto created = cluster_.Pods().Create(std::move(pod));
    if (!created) {
      ADD_FAILURE() << ErrorOf(created.error());
      return {};
    }
    return **created;
  }
  api::Pod WithClass(std::string name, std::string class_name) {
    api::Pod pod = MakePod("default", std::move(name));
    pod.spec.priority_class_name = std::move(class_name);
    return pod;
  }

  core::ManualClock clock_{testing::StartTime()};
  MemoryCluster cluster_{clock_};
};

TEST(ApiErrorCode, ForbiddenIsNamed) { EXPECT_EQ(ToString(ApiErrorCode::kForbidden), "Forbidden"); }

TEST_F(PriorityAdmissionTest, NamedClassGivesItsValueAndPolicy) {
  AddClass("pause-pods", -1, false, api::PreemptionPolicy::kNever);
  const api::Pod pod = Admitted(WithClass("pause", "pause-pods"));
  EXPECT_EQ(pod.spec.priority, -1);
  EXPECT_EQ(pod.spec.preemption_policy, api::PreemptionPolicy::kNever);
  EXPECT_EQ(pod.spec.priority_class_name, "pause-pods");
}

TEST_F(PriorityAdmissionTest, NoClassAndNoDefaultIsZero) {
  const api::Pod pod = Admitted(MakePod("default", "web"));
  EXPECT_EQ(pod.spec.priority, 0);
  EXPECT_EQ(pod.spec.preemption_policy, api::PreemptionPolicy::kPreemptLowerPriority);
  EXPECT_EQ(pod.spec.priority_class_name, "");
}

TEST_F(PriorityAdmissionTest, GlobalDefaultIsNamedForPodsWithoutClass) {
  AddClass("standard", 1000, true);
  AddClass("batch", 10);
  const api::Pod pod = Admitted(MakePod("default", "web"));
  EXPECT_EQ(pod.spec.priority, 1000);
  EXPECT_EQ(pod.spec.priority_class_name, "standard");
}

TEST_F(PriorityAdmissionTest, SeveralGlobalDefaultsTakeTheLowestValue) {
  AddClass("a-high", 500, true);
  AddClass("b-low", 100, true);
  EXPECT_EQ(Admitted(MakePod("default", "web")).spec.priority_class_name, "b-low");
}

TEST_F(PriorityAdmissionTest, BuiltInSystemClassesNeedNotBeStored) {
  EXPECT_EQ(Admitted(WithClass("dns", "system-cluster-critical")).spec.priority, 2'000'000'000);
  EXPECT_EQ(Admitted(WithClass("proxy", "system-node-critical")).spec.priority, 2'000'001'000);
  EXPECT_TRUE(cluster_.PriorityClasses().List().empty());
}

TEST_F(PriorityAdmissionTest, UnknownClassIsForbidden) {
  auto created = cluster_.Pods().Create(WithClass("web", "gold"));
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(ErrorOf(created.error()),
            "Forbidden: pods \"web\" is forbidden: no PriorityClass with name gold was found");
  EXPECT_FALSE(cluster_.Pods().Get({"default", "web"}).has_value());
}

TEST_F(PriorityAdmissionTest, PriorityThatDisagreesWithTheClassIsForbidden) {
  AddClass("batch", 10);
  api::Pod pod = WithClass("web", "batch");
  pod.spec.priority = 11;
  auto created = cluster_.Pods().Create(pod);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().code, ApiErrorCode::kForbidden);
  pod.spec.priority = 10;  // the class's own value is accepted
  EXPECT_EQ(Admitted(pod).spec.priority, 10);
}

TEST_F(PriorityAdmissionTest, PreemptionPolicyThatDisagreesWithTheClassIsForbidden) {
  AddClass("batch", 10, false, api::PreemptionPolicy::kNever);
  api::Pod pod = WithClass("web", "batch");
  pod.spec.preemption_policy = api::PreemptionPolicy::kPreemptLowerPriority;
  auto created = cluster_.Pods().Create(pod);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().code, ApiErrorCode::kForbidden);
}

TEST_F(PriorityAdmissionTest, ExplicitPriorityWithoutAnyClassIsKept) {
  api::Pod pod = MakePod("default", "web");
  pod.spec.priority = 7;
  EXPECT_EQ(Admitted(pod).spec.priority, 7);
}

TEST_F(PriorityAdmissionTest, ExplicitPriorityWithoutClassIsKeptDespiteAGlobalDefault) {
  AddClass("standard", 1000, true);
  api::Pod pod = MakePod("default", "web");
  pod.spec.priority = 7;
  const api::Pod admitted = Admitted(pod);
  EXPECT_EQ(admitted.spec.priority, 7);
  EXPECT_EQ(admitted.spec.priority_class_name, "");
}

TEST_F(PriorityAdmissionTest, ClassCreatedLaterAppliesToLaterPodsOnly) {
  const api::Pod before = Admitted(MakePod("default", "early"));
  AddClass("standard", 1000, true);
  const api::Pod after = Admitted(MakePod("default", "late"));
  EXPECT_EQ(before.spec.priority, 0);
  EXPECT_EQ(after.spec.priority, 1000);
  EXPECT_EQ(cluster_.Pods().Get({"default", "early"}).value()->spec.priority, 0);
}

}  // namespace
}  // namespace karpenter::kube
