// WorkQueue and Manager: due order, de-duplication, requeues, virtual time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "controllers/manager.h"
#include "controllers/work_queue.h"
#include "core/clock.h"

namespace karpenter::controllers {
namespace {

using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const core::Time kStart = core::Time(seconds(1'700'000'000));

TEST(WorkQueue, KeysComeOutByDueTimeThenInsertionOrder) {
  WorkQueue queue;
  queue.Add("b", kStart + seconds(5));
  queue.Add("a", kStart + seconds(5));
  queue.Add("c", kStart + seconds(1));
  EXPECT_EQ(queue.NextDue(), kStart + seconds(1));
  EXPECT_THAT(queue.PopDue(kStart), IsEmpty());
  EXPECT_THAT(queue.PopDue(kStart + seconds(5)), ElementsAre("c", "b", "a"));
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.NextDue(), std::nullopt);
}

TEST(WorkQueue, AKeyIsQueuedOnceAtItsEarliestTime) {
  WorkQueue queue;
  queue.Add("a", kStart + seconds(10));
  queue.Add("a", kStart + seconds(20));  // later: keeps 10
  EXPECT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue.NextDue(), kStart + seconds(10));
  queue.Add("a", kStart + seconds(3));  // earlier: moves to 3
  EXPECT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue.NextDue(), kStart + seconds(3));
  EXPECT_THAT(queue.PopDue(kStart + seconds(3)), ElementsAre("a"));
  EXPECT_TRUE(queue.empty());
}

// Records its reconciles; requeues each key `requeues` times after `delay`.
class Recorder : public Controller {
 public:
  Recorder(std::string name, const core::Clock& clock, std::vector<std::string>& log,
           int requeues, core::Duration delay)
      : name_(std::move(name)), clock_(clock), log_(log), requeues_(requeues), delay_(delay) {}
  std::string_view Name() const override { return name_; }
  ReconcileResult Reconcile(const std::string& key) override {
    const auto at = std::chrono::duration_cast<seconds>(clock_.Now() - kStart).count();
    log_.push_back(name_ + ":" + key + "@" + std::to_string(at));
    if (requeues_-- > 0) return ReconcileResult::After(delay_);
    return ReconcileResult::Done();
  }

 private:
  std::string name_;
  const core::Clock& clock_;
  std::vector<std::string>& log_;
  int requeues_;
  core::Duration delay_;
};

TEST(Manager, RunsDueReconcilesAndJumpsToTheNextDueTime) {
  core::ManualClock clock(kStart);
  std::vector<std::string> log;
  Manager manager(clock);
  ASSERT_NE(manager.Add(std::make_unique<Recorder>("p", clock, log, 2, seconds(10))), nullptr);
  ASSERT_NE(manager.Add(std::make_unique<Recorder>("q", clock, log, 0, seconds(0))), nullptr);
  EXPECT_EQ(manager.Add(std::make_unique<Recorder>("p", clock, log, 0, seconds(0))), nullptr);
  EXPECT_TRUE(manager.Enqueue("q", "x", seconds(15)));
  EXPECT_TRUE(manager.Enqueue("p", "k"));
  EXPECT_FALSE(manager.Enqueue("nobody", "k"));

  // A virtual-time driver: run what is due, then jump to the next due time.
  while (true) {
    manager.RunDue();
    const std::optional<core::Time> next = manager.NextDue();
    if (!next) break;
    clock.AdvanceTo(*next);
  }
  EXPECT_THAT(log, ElementsAre("p:k@0", "p:k@10", "q:x@15", "p:k@20"));
  EXPECT_EQ(manager.reconcile_counts().at("p"), 3u);
  EXPECT_EQ(manager.reconcile_counts().at("q"), 1u);
}

TEST(Manager, ImmediateRequeuesRunInTheSameRun) {
  core::ManualClock clock(kStart);
  std::vector<std::string> log;
  Manager manager(clock);
  manager.Add(std::make_unique<Recorder>("p", clock, log, 2, seconds(0)));
  manager.Enqueue("p", "k");
  EXPECT_EQ(manager.RunDue(), 3u);
  EXPECT_THAT(log, ElementsAre("p:k@0", "p:k@0", "p:k@0"));
  EXPECT_EQ(manager.NextDue(), std::nullopt);
}

}  // namespace
}  // namespace karpenter::controllers
