// The driver: a virtual cluster run in virtual time, each thing happening at its exact time.
#include "sim/driver.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "catalog/custom_catalog.h"
#include "controllers/controller.h"
#include "replay_test_util.h"
#include "sim/replay_steps.h"

namespace karpenter::sim {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): test helpers
using std::chrono::minutes;
using std::chrono::seconds;

const core::Time kT0 = core::Time(seconds(kDefaultScenarioStartSeconds));

std::unique_ptr<Driver> MakeDriver(const std::string& yaml) {
  api::ReadResult read = api::ReadYamlDocuments(yaml, "cluster.yaml");
  EXPECT_THAT(read.errors, ::testing::IsEmpty());
  LoadedObjects loaded = LoadObjects(read.documents);
  for (const api::Diagnostic& d : loaded.diagnostics) ADD_FAILURE() << d.ToString();
  auto catalog = catalog::CatalogFromDocuments(loaded.objects.instance_types);
  EXPECT_TRUE(catalog.has_value());
  DriverOptions options;
  options.start = kT0;
  options.catalog = std::make_shared<const catalog::Catalog>(std::move(*catalog));
  auto driver = std::make_unique<Driver>(std::move(options));
  StepOutcome applied = ApplyObjects(driver->cluster(), loaded.objects);
  EXPECT_THAT(applied.errors, ::testing::IsEmpty());
  return driver;
}

void Scale(Driver& driver, int replicas) {
  ASSERT_TRUE(driver.cluster().Deployments().Patch(
      {"default", "web"}, [replicas](api::Deployment& d) { d.replicas = replicas; }));
}

bool ConditionTrue(const api::NodeClaim& claim, std::string_view type) {
  const api::Condition* condition = api::FindCondition(claim.status.conditions, type);
  return condition != nullptr && condition->IsTrue();
}

// Records, in seconds after kT0, the first settled instant each milestone was seen.
void RecordMilestones(Driver& driver, std::map<std::string, int64_t>& seen) {
  driver.SetObserver([&driver, &seen](core::Time now) {
    const int64_t at = std::chrono::duration_cast<seconds>(now - kT0).count();
    auto mark = [&](const std::string& name, bool reached) {
      if (reached) seen.try_emplace(name, at);
    };
    int pending = 0, running = 0;
    for (const auto& pod : driver.cluster().Pods().List()) {
      if (pod->spec.node_name.empty()) ++pending;
      if (pod->status.phase == "Running") ++running;
    }
    mark("5 pods pending", pending == 5);
    mark("5 pods running", running == 5);
    for (const auto& claim : driver.cluster().NodeClaims().List()) {
      mark("claim created", true);
      mark("claim launched", ConditionTrue(*claim, "Launched"));
      mark("claim registered", ConditionTrue(*claim, "Registered"));
      mark("claim initialized", ConditionTrue(*claim, "Initialized"));
    }
    mark("node created", !driver.cluster().Nodes().List().empty());
  });
}

TEST(DriverTest, FivePodsGetANodeAtExactVirtualTimes) {
  std::unique_ptr<Driver> driver = MakeDriver(kCatalogAndPool + DeploymentYaml(0));
  ASSERT_TRUE(driver->RunUntil(kT0 + minutes(1)));
  std::map<std::string, int64_t> seen;
  RecordMilestones(*driver, seen);
  Scale(*driver, 5);
  ASSERT_TRUE(driver->RunUntil(kT0 + minutes(5)));

  // Pods at 60s; the provisioner's batch closes after 1s idle; the instance boots and its node
  // registers 30s after launch, turns Ready 5s later, and the pods bind and run at once.
  EXPECT_EQ(seen, (std::map<std::string, int64_t>{{"5 pods pending", 60},
                                                  {"claim created", 61},
                                                  {"claim launched", 61},
                                                  {"node created", 91},
                                                  {"claim registered", 91},
                                                  {"claim initialized", 96},
                                                  {"5 pods running", 96}}));
  auto claims = driver->cluster().NodeClaims().List();
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(claims[0]->metadata.labels.at("node.kubernetes.io/instance-type"), "c.xlarge");
  EXPECT_EQ(claims[0]->metadata.labels.at("karpenter.sh/capacity-type"), "spot");
  ASSERT_EQ(driver->cloud().List().size(), 1u);
  EXPECT_EQ(driver->cloud().List()[0].launch_time, kT0 + seconds(61));
  // $0.12/hour from 61s to 5m.
  EXPECT_NEAR(driver->cloud().CostSoFar(), 0.12 * 239 / 3600, 1e-9);
  EXPECT_EQ(driver->clock().Now(), kT0 + minutes(5));
}

TEST(DriverTest, ScalingToZeroDeletesThePodsAtOnce) {
  std::unique_ptr<Driver> driver = MakeDriver(kCatalogAndPool + DeploymentYaml(3));
  ASSERT_TRUE(driver->RunUntil(kT0 + minutes(2)));
  ASSERT_EQ(driver->cluster().Pods().List().size(), 3u);
  EXPECT_EQ(driver->cluster().Pods().List()[0]->status.phase, "Running");
  Scale(*driver, 0);
  ASSERT_TRUE(driver->RunUntil(kT0 + minutes(2)));
  EXPECT_TRUE(driver->cluster().Pods().List().empty());
  EXPECT_EQ(driver->clock().Now(), kT0 + minutes(2));
}

TEST(DriverTest, DeletingANodeClaimDrainsAndTerminatesItsInstance) {
  std::unique_ptr<Driver> driver = MakeDriver(kCatalogAndPool + DeploymentYaml(1));
  ASSERT_TRUE(driver->RunUntil(kT0 + minutes(2)));
  auto claims = driver->cluster().NodeClaims().List();
  ASSERT_EQ(claims.size(), 1u);
  const std::string provider_id = claims[0]->status.provider_id;
  ASSERT_TRUE(driver->cluster().NodeClaims().Delete({"", claims[0]->metadata.name}));
  ASSERT_TRUE(driver->RunUntil(kT0 + minutes(2)));
  // The node is drained (its pod evicted and recreated pending), the instance shuts down.
  EXPECT_TRUE(driver->cluster().Nodes().List().empty());
  auto instance = driver->cloud().Get(provider_id);
  ASSERT_TRUE(instance.has_value());
  EXPECT_EQ(instance->state, cloud::InstanceState::kShuttingDown);
  // Shutting down takes 30s; the lifecycle controller polls every 5s, then lets the claim go.
  ASSERT_TRUE(driver->RunUntil(kT0 + minutes(2) + seconds(29)));
  EXPECT_EQ(driver->cluster().NodeClaims().Get({"", claims[0]->metadata.name}).has_value(), true);
  ASSERT_TRUE(driver->RunUntil(kT0 + minutes(2) + seconds(30)));
  EXPECT_FALSE(driver->cloud().Get(provider_id).has_value());
  EXPECT_FALSE(driver->cluster().NodeClaims().Get({"", claims[0]->metadata.name}).has_value());
}

TEST(DriverTest, AnInterruptedInstanceIsNoticedWhenItIsReclaimed) {
  std::unique_ptr<Driver> driver = MakeDriver(kCatalogAndPool + DeploymentYaml(1));
  ASSERT_TRUE(driver->RunUntil(kT0 + minutes(2)));
  ASSERT_EQ(driver->cloud().List().size(), 1u);
  const std::string provider_id = driver->cloud().List()[0].provider_id;
  const std::string node = Kubelet::NodeName(provider_id);
  // When the kubelet stand-in first reported the node's Ready condition Unknown.
  std::optional<core::Time> unknown_at;
  driver->SetObserver([&](core::Time now) {
    auto got = driver->cluster().Nodes().Get({"", node});
    if (!got || unknown_at) return;
    for (const api::NodeCondition& c : (*got)->status.conditions) {
      if (c.type == "Ready" && c.status == "Unknown") unknown_at = now;
    }
  });
  // Sent to the cloud directly, and taken off its queue here, so no controller reacts to the
  // warning: only the reclaim itself happens, two minutes later, which nothing in the cluster
  // foresees but the wake-up.
  auto warning = driver->cloud().Interrupt(provider_id);
  ASSERT_TRUE(warning);
  EXPECT_EQ(driver->cloud().ReceiveInterruptions().size(), 1u);
  driver->WakeAt(warning->terminate_at);
  ASSERT_TRUE(driver->AdvanceTo(kT0 + minutes(10)));
  EXPECT_EQ(unknown_at, kT0 + minutes(4));
}

TEST(DriverTest, AQuietClusterJumpsFromPollToPoll) {
  std::unique_ptr<Driver> driver = MakeDriver(kCatalogAndPool);
  ASSERT_TRUE(driver->RunUntil(kT0));
  const size_t instants = driver->instants(), rounds = driver->rounds();
  ASSERT_TRUE(driver->RunUntil(kT0 + std::chrono::hours(1)));
  EXPECT_EQ(driver->clock().Now(), kT0 + std::chrono::hours(1));
  // The fastest poll (disruption's) is every 10 s; each quiet instant settles in one round.
  EXPECT_LE(driver->instants() - instants, 361u);
  EXPECT_EQ(driver->rounds() - rounds, driver->instants() - instants);
  EXPECT_LE(driver->NextEvent(), kT0 + std::chrono::hours(1) + seconds(10));
  ASSERT_TRUE(driver->RunUntil(kT0));  // the past: nothing to do
  EXPECT_EQ(driver->clock().Now(), kT0 + std::chrono::hours(1));
}

// Writes a namespace label on every reconcile; its own watch enqueues it again: a loop.
class Fidget final : public controllers::Controller {
 public:
  explicit Fidget(kube::ClusterPort& cluster) : cluster_(cluster) {}
  std::string_view Name() const override { return "fidget"; }
  controllers::ReconcileResult Reconcile(const std::string&) override {
    (void)cluster_.Namespaces().Patch({"", "busy"}, [this](api::Namespace& ns) {
      ns.metadata.labels["n"] = std::to_string(++writes_);
    });
    return controllers::ReconcileResult::Done();
  }

 private:
  kube::ClusterPort& cluster_;
  int writes_ = 0;
};

TEST(DriverTest, AnInstantThatNeverSettlesIsAnErrorNotAHang) {
  api::ReadResult read = api::ReadYamlDocuments(kCatalogAndPool, "c.yaml");
  LoadedObjects loaded = LoadObjects(read.documents);
  DriverOptions options;
  options.start = kT0;
  options.catalog = std::make_shared<const catalog::Catalog>(
      *catalog::CatalogFromDocuments(loaded.objects.instance_types));
  options.max_rounds_per_instant = 50;
  Driver driver(std::move(options));
  driver.manager().Add(std::make_unique<Fidget>(driver.cluster()));
  driver.cluster().Namespaces().Watch([&driver](const kube::WatchEvent<api::Namespace>&) {
    driver.manager().Enqueue("fidget", "busy");
  });
  api::Namespace busy;
  busy.metadata.name = "busy";
  ASSERT_TRUE(driver.cluster().Namespaces().Create(busy));
  Result<void> run = driver.RunUntil(kT0 + minutes(1));
  ASSERT_FALSE(run.has_value());
  EXPECT_THAT(run.error().message,
              ::testing::StartsWith("the cluster did not settle 0s after the start: still "
                                    "changing after 50 rounds (reconciles: "));
  EXPECT_THAT(run.error().message, ::testing::HasSubstr("fidget 50"));
}

}  // namespace
}  // namespace karpenter::sim
