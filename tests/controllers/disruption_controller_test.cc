#include "controllers/disruption_controller.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "disruption_fixture.h"

namespace karpenter::controllers {
namespace {

using test_util::MakePod;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using namespace std::chrono_literals;  // NOLINT(google-build-using-namespace)

class DisruptionControllerTest : public test_util::DisruptionFixture {
 protected:
  // Two "large" nodes (8 cpu, $0.40/h) a_ and b_, each left with one 600m "web" pod once the
  // 6-cpu "big" pods that made the provisioner launch them are deleted (which this does last).
  // Together the web pods fit one "medium" (4 cpu, $0.20/h).
  void TwoUnderusedNodes() {
    CreateNodePool(0s);
    StartControllers();
    ASSERT_TRUE(cluster_.Pods().Create(MakePod("big-0", 6000)));
    RunFor(2min);
    ASSERT_TRUE(cluster_.Pods().Create(MakePod("big-1", 6000)));
    RunFor(2min);
    CreateDeployment(2, 600);
    RunFor(1min);
    const std::vector<std::string> nodes = NodeNames();
    ASSERT_EQ(nodes.size(), 2u);
    a_ = nodes[0];
    b_ = nodes[1];
    for (const std::string& node : nodes) {
      auto claim = ClaimOfNode(node);
      ASSERT_NE(claim, nullptr);
      EXPECT_EQ(test_util::Label(claim->metadata, catalog::kLabelInstanceType), "large");
      ASSERT_EQ(PodsOn(node).size(), 2u) << node;  // its big pod and one web pod
    }
    a_claim_ = ClaimOfNode(a_)->metadata.name;
    b_claim_ = ClaimOfNode(b_)->metadata.name;
    ASSERT_THAT(disruption_->history(), IsEmpty());
    ASSERT_TRUE(cluster_.Pods().Delete({"default", "big-0"}));
    ASSERT_TRUE(cluster_.Pods().Delete({"default", "big-1"}));
  }

  bool Deleting(const std::string& claim) {
    auto got = cluster_.NodeClaims().Get({"", claim});
    return !got || (*got)->metadata.deletion_timestamp.has_value();
  }

  // Checked after every step: at most one replacement ever, and no candidate goes before the
  // replacement is Initialized.
  std::function<void()> OrderInvariant() {
    return [this] {
      const auto replacements = Replacements();
      ASSERT_LE(replacements.size(), 1u);
      const bool initialized =
          !replacements.empty() &&
          IsConditionTrue(replacements.front()->status.conditions, kConditionInitialized);
      if (!replacements.empty() && !initialized) saw_uninitialized_replacement_ = true;
      for (const std::string& claim : {a_claim_, b_claim_}) {
        if (Deleting(claim)) {
          ASSERT_TRUE(initialized) << claim << " deleted before its replacement was initialized";
        }
      }
    };
  }

  // The end state of the consolidation: the replacement alone, running both web pods.
  void ExpectConsolidated(const std::string& replacement) {
    EXPECT_THAT(ClaimNames(), ElementsAre(replacement));
    auto claim = Claim(replacement);
    ASSERT_NE(claim, nullptr);
    EXPECT_EQ(test_util::Label(claim->metadata, catalog::kLabelInstanceType), "medium");
    EXPECT_THAT(NodeNames(), ElementsAre(claim->status.node_name));
    EXPECT_THAT(LiveInstances(), ElementsAre(claim->status.provider_id));
    EXPECT_EQ(PodsOn(claim->status.node_name).size(), 2u);
    EXPECT_EQ(cloud_.launches(), 3u);  // a, b and the replacement: nothing launched twice
  }

  kube::ObjectPtr<api::NodeClaim> Claim(const std::string& name) {
    auto got = cluster_.NodeClaims().Get({"", name});
    return got ? *got : nullptr;
  }

  std::string a_, b_, a_claim_, b_claim_;
  bool saw_uninitialized_replacement_ = false;
};

TEST_F(DisruptionControllerTest, DeletesAnEmptyNodeOnceConsolidateAfterHasPassed) {
  CreateNodePool(30s);
  StartControllers();
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("p0", 1000)));
  RunFor(2min);
  ASSERT_EQ(NodeNames().size(), 1u);
  const std::string node = NodeNames().front();
  const std::string claim = ClaimOfNode(node)->metadata.name;
  ASSERT_THAT(PodsOn(node), ElementsAre("p0"));

  ASSERT_TRUE(cluster_.Pods().Delete({"default", "p0"}));
  const core::Time emptied = clock_.Now();
  // consolidateAfter counts from the pod leaving; then 15 s of validation; passes every 10 s.
  RunUntil(emptied + 44s);
  ASSERT_NE(Claim(claim), nullptr);
  EXPECT_EQ(Claim(claim)->status.last_pod_event_time, EpochSeconds(emptied));
  EXPECT_FALSE(Deleting(claim));
  RunUntil(emptied + 56s);
  EXPECT_TRUE(Deleting(claim));
  ASSERT_EQ(disruption_->history().size(), 1u);
  const ExecutedCommand& done = disruption_->history().front();
  EXPECT_EQ(done.method, disruption::Method::kEmptiness);
  EXPECT_EQ(done.reason, "Empty");
  EXPECT_THAT(done.candidates, ElementsAre(node));
  EXPECT_THAT(done.replacements, IsEmpty());
  EXPECT_EQ(done.started_at - done.decided_at, 15s);

  RunFor(2min);
  EXPECT_THAT(ClaimNames(), IsEmpty());
  EXPECT_THAT(NodeNames(), IsEmpty());
  EXPECT_THAT(LiveInstances(), IsEmpty());
}

TEST_F(DisruptionControllerTest, SkipsPassesWhileNothingChangesAfterOneFoundNothing) {
  CreateNodePool(0s);
  StartControllers();
  api::Pod pinned = MakePod("p0", 1000);
  pinned.metadata.annotations["karpenter.sh/do-not-disrupt"] = "true";
  ASSERT_TRUE(cluster_.Pods().Create(pinned));
  RunFor(2min);
  ASSERT_EQ(NodeNames().size(), 1u);
  // The node's last change (p0 running) was within the first minute: the pass after it found
  // nothing (p0 may not be disrupted), so until 5 minutes later no pass runs.
  const size_t passes = disruption_->passes();
  const size_t skipped = disruption_->skipped_passes();
  RunFor(2min + 50s);
  EXPECT_EQ(disruption_->passes(), passes);
  EXPECT_GE(disruption_->skipped_passes(), skipped + 16);
  // Then one pass, forced by the 5-minute timeout, finds nothing again.
  RunFor(2min);
  EXPECT_EQ(disruption_->passes(), passes + 1);
  // A change (a pod bound to the node) brings the next pass at the next poll.
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("p1", 100)));
  RunFor(20s);
  EXPECT_EQ(disruption_->passes(), passes + 2);
  EXPECT_THAT(disruption_->history(), IsEmpty());
}

TEST_F(DisruptionControllerTest, ReplacesTwoUnderusedNodesWithOneCheaperOnlyOnceItIsInitialized) {
  TwoUnderusedNodes();
  const core::Time emptied = clock_.Now();
  RunFor(5min, OrderInvariant());
  EXPECT_TRUE(saw_uninitialized_replacement_);
  EXPECT_THAT(disruption_->abandoned(), IsEmpty());
  ASSERT_EQ(disruption_->history().size(), 1u);
  const ExecutedCommand& done = disruption_->history().front();
  EXPECT_EQ(done.method, disruption::Method::kMultiNodeConsolidation);
  EXPECT_EQ(done.reason, "Underutilized");
  EXPECT_EQ(done.outcome, CommandOutcome::kExecuted);
  EXPECT_THAT(done.candidates, UnorderedElementsAre(a_, b_));
  ASSERT_EQ(done.replacements.size(), 1u);
  EXPECT_EQ(done.replacements[0].instance_type, "medium");
  EXPECT_THAT(done.replacements[0].instance_type_options, ElementsAre("medium", "large"));
  EXPECT_EQ(done.replacements[0].capacity_type, "on-demand");
  EXPECT_DOUBLE_EQ(done.savings_per_hour.value_or(0), 0.60);
  EXPECT_LE(done.decided_at, emptied + 10s);
  EXPECT_EQ(done.started_at - done.decided_at, 15s);
  ASSERT_EQ(done.replacement_node_claims.size(), 1u);
  const std::string replacement = done.replacement_node_claims[0];
  auto claim = Claim(replacement);
  ASSERT_NE(claim, nullptr);
  EXPECT_THAT(claim->spec.requirements, ::testing::Contains(core::NodeSelectorRequirement{
                                            std::string(catalog::kLabelInstanceType),
                                            core::Operator::In,
                                            {"medium", "large"},
                                            std::nullopt}));
  ExpectConsolidated(replacement);
}

TEST_F(DisruptionControllerTest, ADoNotDisruptDurationHoldsTheNodeUntilThatLongAfterThePodStarted) {
  TwoUnderusedNodes();
  const core::Time emptied = clock_.Now();
  // a_'s web pod asks for 4 minutes without disruption, counted from when the kubelet started
  // it (status.startTime), about a minute before the big pods went.
  std::string web;
  for (const std::string& name : PodsOn(a_)) web = name;
  auto pod = cluster_.Pods().Get({"default", web});
  ASSERT_TRUE(pod.has_value());
  ASSERT_TRUE((*pod)->status.start_time.has_value());
  const core::Time started = FromEpochSeconds(*(*pod)->status.start_time);
  EXPECT_LT(started, emptied);
  ASSERT_TRUE(cluster_.Pods()
                  .Patch({"default", web},
                         [](api::Pod& stored) {
                           stored.metadata.annotations["karpenter.sh/do-not-disrupt"] = "4m";
                         })
                  .has_value());
  RunFor(10min);
  // b_ is not protected: it goes at once, its web pod moving to a_.
  ASSERT_EQ(disruption_->history().size(), 2u);
  const ExecutedCommand& first = disruption_->history()[0];
  EXPECT_EQ(first.method, disruption::Method::kSingleNodeConsolidation);
  EXPECT_THAT(first.candidates, ElementsAre(b_));
  EXPECT_LE(first.decided_at, emptied + 10s);
  // a_ is replaced by a cheaper node once the protection is over: not before, and at the
  // latest at the controller's 5-minute re-check (the end of a protection is not an event it
  // watches, as upstream). Without a start time it would be protected for ever.
  const ExecutedCommand& second = disruption_->history()[1];
  EXPECT_EQ(second.method, disruption::Method::kSingleNodeConsolidation);
  EXPECT_THAT(second.candidates, ElementsAre(a_));
  EXPECT_EQ(second.replacements.size(), 1u);
  EXPECT_GE(second.decided_at, started + 4min);
  EXPECT_LE(second.decided_at, emptied + 7min);
}

TEST_F(DisruptionControllerTest, ValidationDropsACommandThatANewPodInvalidates) {
  TwoUnderusedNodes();
  ASSERT_TRUE(RunUntilTrue([&] { return disruption_->pending().has_value(); }, 1min));
  const PendingCommand pending = *disruption_->pending();
  EXPECT_EQ(pending.command.method, disruption::Method::kMultiNodeConsolidation);
  EXPECT_EQ(pending.validate_at, clock_.Now() + 15s);
  // Before the validation, a 5-cpu pod lands on a_: the two web pods and it need a large.
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("late", 5000)));
  ASSERT_TRUE(RunUntilTrue([&] { return !disruption_->abandoned().empty(); }, 30s));
  EXPECT_EQ(clock_.Now(), pending.validate_at);
  EXPECT_THAT(PodsOn(a_), UnorderedElementsAre("late", ::testing::StartsWith("web-sim-")));
  const ExecutedCommand& dropped = disruption_->abandoned().front();
  EXPECT_EQ(dropped.outcome, CommandOutcome::kAbandoned);
  EXPECT_EQ(dropped.method, disruption::Method::kMultiNodeConsolidation);
  EXPECT_THAT(dropped.candidates, UnorderedElementsAre(a_, b_));
  EXPECT_EQ(dropped.abandoned_because,
            "the scheduling simulation now needs 1 new node(s) of other instance types than "
            "decided");
  EXPECT_THAT(Replacements(), IsEmpty());
  EXPECT_FALSE(Tainted(a_));
  EXPECT_FALSE(Tainted(b_));
  EXPECT_FALSE(Deleting(a_claim_));
  EXPECT_FALSE(Deleting(b_claim_));
  EXPECT_THAT(disruption_->history(), IsEmpty());
  EXPECT_EQ(cloud_.launches(), 2u);
}

TEST_F(DisruptionControllerTest, ExpiryDeletesANodeWhateverTheBudgets) {
  CreateNodePool(0s, api::IntOrPercent::Count(0), 1h);
  StartControllers();
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("p0", 1000)));
  RunFor(2min);
  ASSERT_EQ(NodeNames().size(), 1u);
  const std::string node = NodeNames().front();
  auto claim = ClaimOfNode(node);
  const std::string name = claim->metadata.name;
  const core::Time created = FromEpochSeconds(claim->metadata.creation_timestamp.value());

  RunUntil(created + 1h - 1s);
  EXPECT_FALSE(Deleting(name));
  EXPECT_THAT(disruption_->history(), IsEmpty());
  RunUntil(created + 1h + 10s);  // the next pass
  EXPECT_TRUE(Deleting(name));
  ASSERT_EQ(disruption_->history().size(), 1u);
  const ExecutedCommand& done = disruption_->history().front();
  EXPECT_EQ(done.method, disruption::Method::kExpiration);
  EXPECT_EQ(done.reason, "Expired");
  EXPECT_THAT(done.candidates, ElementsAre(node));

  RunFor(3min);
  EXPECT_THAT(NodeNames(), IsEmpty());
  EXPECT_THAT(LiveInstances(), IsEmpty());
}

TEST_F(DisruptionControllerTest, GivesUpWhenTheReplacementNeverInitializes) {
  TwoUnderusedNodes();
  cloud_.NeverRegisterNextLaunches(1);
  ASSERT_TRUE(RunUntilTrue([&] { return !Replacements().empty(); }, 1min));
  const core::Time started = clock_.Now();
  const std::string replacement = Replacements().front()->metadata.name;
  EXPECT_TRUE(Tainted(a_));
  EXPECT_TRUE(Tainted(b_));
  const size_t passes = disruption_->passes();

  RunUntil(started + 10min - 1s, OrderInvariant());
  EXPECT_TRUE(Tainted(a_));
  EXPECT_TRUE(Tainted(b_));
  EXPECT_FALSE(Deleting(a_claim_));
  EXPECT_FALSE(Deleting(b_claim_));
  EXPECT_THAT(disruption_->abandoned(), IsEmpty());
  EXPECT_EQ(disruption_->passes(), passes);  // no other command while one is in flight

  ASSERT_TRUE(RunUntilTrue([&] { return !disruption_->abandoned().empty(); }, 30s));
  EXPECT_EQ(clock_.Now(), started + 10min);
  const ExecutedCommand& dropped = disruption_->abandoned().front();
  EXPECT_EQ(dropped.abandoned_because, "replacements not initialized within 600s");
  EXPECT_THAT(dropped.replacement_node_claims, ElementsAre(replacement));
  EXPECT_FALSE(Tainted(a_));
  EXPECT_FALSE(Tainted(b_));
  for (const std::string& claim : {a_claim_, b_claim_}) {
    EXPECT_FALSE(Deleting(claim));
    EXPECT_FALSE(ReadCommandRecord(*Claim(claim)).has_value());
  }
  EXPECT_THAT(disruption_->history(), IsEmpty());

  // Nothing leaks: the lifecycle's registration timeout takes the replacement and its instance;
  // every instance left belongs to a NodeClaim, and the web pods run again.
  const std::string provider_id = Claim(replacement)->status.provider_id;
  ASSERT_FALSE(provider_id.empty());
  RunFor(10min);
  EXPECT_EQ(Claim(replacement), nullptr);
  EXPECT_THAT(LiveInstances(), ::testing::Not(::testing::Contains(provider_id)));
  for (const std::string& instance : LiveInstances()) {
    bool owned = false;
    for (const auto& claim : cluster_.NodeClaims().List()) {
      owned = owned || claim->status.provider_id == instance;
    }
    EXPECT_TRUE(owned) << instance;
  }
  size_t running = 0;
  for (const auto& pod : cluster_.Pods().List()) running += pod->status.phase == "Running";
  EXPECT_EQ(running, 2u);
}

TEST_F(DisruptionControllerTest, ARestartedControllerResumesTheCommandInFlight) {
  TwoUnderusedNodes();
  ASSERT_TRUE(RunUntilTrue([&] { return !Replacements().empty(); }, 1min));
  const std::string replacement = Replacements().front()->metadata.name;
  EXPECT_FALSE(IsConditionTrue(Replacements().front()->status.conditions, kConditionInitialized));

  StartControllers();  // every controller, the disruption controller included, starts afresh
  EXPECT_THAT(disruption_->history(), IsEmpty());
  RunFor(5min, OrderInvariant());
  EXPECT_THAT(disruption_->abandoned(), IsEmpty());
  ASSERT_EQ(disruption_->history().size(), 1u);
  const ExecutedCommand& done = disruption_->history().front();
  EXPECT_EQ(done.method, disruption::Method::kMultiNodeConsolidation);
  EXPECT_EQ(done.reason, "Underutilized");
  EXPECT_THAT(done.candidates, UnorderedElementsAre(a_, b_));
  EXPECT_THAT(done.replacement_node_claims, ElementsAre(replacement));
  ASSERT_EQ(done.replacements.size(), 1u);
  EXPECT_EQ(done.replacements[0].instance_type, "medium");
  EXPECT_THAT(done.replacements[0].instance_type_options, ElementsAre("medium", "large"));
  EXPECT_EQ(done.replacements[0].capacity_type, "on-demand");
  ExpectConsolidated(replacement);
}

TEST_F(DisruptionControllerTest, ReplacesADriftedNodeWithoutWaitingForValidation) {
  CreateNodePool(0s);
  StartControllers();
  CreateDeployment(1, 1000);
  RunFor(2min);
  ASSERT_EQ(NodeNames().size(), 1u);
  const std::string node = NodeNames().front();
  const std::string claim = ClaimOfNode(node)->metadata.name;
  ASSERT_EQ(PodsOn(node).size(), 1u);
  // A new template label: the node no longer matches its NodePool (NodePoolDrifted).
  ASSERT_TRUE(cluster_.NodePools().Patch({"", "default"}, [](api::NodePool& pool) {
    pool.spec.template_.metadata.labels["team"] = "b";
  }));
  RunFor(3min, [&] {
    const auto replacements = Replacements();
    ASSERT_LE(replacements.size(), 1u);
    if (Deleting(claim)) {
      ASSERT_EQ(replacements.size(), 1u);
      ASSERT_TRUE(IsConditionTrue(replacements[0]->status.conditions, kConditionInitialized));
    }
  });
  ASSERT_EQ(disruption_->history().size(), 1u);
  const ExecutedCommand& done = disruption_->history().front();
  EXPECT_EQ(done.method, disruption::Method::kDrift);
  EXPECT_EQ(done.reason, "Drifted");
  EXPECT_THAT(done.candidates, ElementsAre(node));
  EXPECT_EQ(done.started_at, done.decided_at);
  ASSERT_EQ(done.replacements.size(), 1u);
  EXPECT_EQ(done.replacements[0].instance_type, "small");
  ASSERT_EQ(done.replacement_node_claims.size(), 1u);
  auto replacement = Claim(done.replacement_node_claims[0]);
  ASSERT_NE(replacement, nullptr);
  EXPECT_EQ(test_util::Label(replacement->metadata, "team"), "b");
  EXPECT_THAT(ClaimNames(), ElementsAre(replacement->metadata.name));
  EXPECT_EQ(PodsOn(replacement->status.node_name).size(), 1u);
  EXPECT_THAT(LiveInstances(), ElementsAre(replacement->status.provider_id));
}

TEST_F(DisruptionControllerTest, RemovesADisruptedTaintNoCommandHolds) {
  CreateNodePool(0s, api::IntOrPercent::Count(0));
  StartControllers();
  ASSERT_TRUE(cluster_.Pods().Create(MakePod("p0", 1000)));
  RunFor(2min);
  ASSERT_EQ(NodeNames().size(), 1u);
  const std::string node = NodeNames().front();
  ASSERT_TRUE(SetDisruptedTaint(cluster_, node, true));  // as a crash mid-start would leave it
  RunFor(10s);
  EXPECT_FALSE(Tainted(node));
}

}  // namespace
}  // namespace karpenter::controllers
