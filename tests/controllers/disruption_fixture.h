// A whole virtual cluster for the disruption controller's tests: the in-memory cluster, the
// simulated cloud on the tiny catalog, the kubelet, kube-scheduler (binder) and
// Deployment/ReplicaSet (workload controller) stand-ins, and every Karpenter controller the loop
// needs (provisioner, NodeClaim lifecycle, termination, pod events, disruption) in one manager,
// driven in virtual time.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controllers/disruption_controller.h"
#include "controllers/disruption_state.h"
#include "controllers/pod_events.h"
#include "controllers/termination.h"
#include "provisioning_fixture.h"
#include "sim/binder.h"
#include "sim/kubelet.h"
#include "sim/workload_controller.h"

namespace karpenter::controllers::test_util {

class DisruptionFixture : public ::testing::Test {
 protected:
  DisruptionFixture()
      : cluster_(clock_),
        cloud_(clock_, TinyCatalog()),
        kubelet_(cluster_, cloud_, clock_),
        binder_(cluster_, clock_),
        workloads_(cluster_) {}
  ~DisruptionFixture() override { StopControllers(); }

  // NodePool "default" (on-demand) that consolidates after `consolidate_after` with a 100%
  // budget, unless `budget` says otherwise.
  void CreateNodePool(core::Duration consolidate_after,
                      api::IntOrPercent budget = api::IntOrPercent::Percent(100),
                      std::optional<core::Duration> expire_after = std::nullopt) {
    api::NodePool pool = MakeNodePool();
    pool.spec.disruption.consolidate_after = core::NillableDuration(consolidate_after);
    api::Budget limit;
    limit.nodes = budget;
    pool.spec.disruption.budgets = {limit};
    if (expire_after) pool.spec.template_.spec.expire_after = core::NillableDuration(*expire_after);
    ASSERT_TRUE(cluster_.NodePools().Create(pool));
  }

  // A fresh manager with every controller, over the same cluster and cloud. Called again, it
  // is a restart: the old controllers stop (and stop watching) first.
  void StartControllers(DisruptionControllerOptions options = {}) {
    StopControllers();
    manager_ = std::make_unique<Manager>(clock_);
    ProvisionerOptions provisioner;
    provisioner.unavailable_offerings = &cloud_.unavailable_offerings();
    ASSERT_NE(Provisioner::Register(*manager_, cluster_, cloud_, clock_, provisioner), nullptr);
    ASSERT_NE(NodeClaimLifecycle::Register(*manager_, cluster_, cloud_, clock_), nullptr);
    RegisterTermination(*manager_, cluster_, clock_);
    ASSERT_NE(PodEventsController::Register(*manager_, cluster_, clock_), nullptr);
    options.unavailable_offerings = &cloud_.unavailable_offerings();
    disruption_ = DisruptionController::Register(*manager_, cluster_, cloud_, clock_, options);
    ASSERT_NE(disruption_, nullptr);
  }

  void StopControllers() {
    disruption_ = nullptr;
    manager_.reset();
  }

  // One round of the world: events, kubelet, scheduler, workloads, then the due reconciles.
  void Step() {
    cluster_.Deliver();
    kubelet_.Step();
    binder_.Step();
    workloads_.Step();
    cluster_.Deliver();
    manager_->RunDue();
  }

  // Steps from due time to due time up to `until` (the clock ends there), calling `check`
  // after every step; stops early (clock left where it is) once `stop` says so.
  void RunUntil(core::Time until, const std::function<void()>& check = {},
                const std::function<bool()>& stop = {}) {
    int same_time = 0;
    for (int guard = 0; guard < 200'000; ++guard) {
      const core::Time before = clock_.Now();
      Step();
      if (check) check();
      if (::testing::Test::HasFatalFailure() || (stop && stop())) return;
      if (cluster_.PendingEvents() > 0) continue;
      std::optional<core::Time> next = manager_->NextDue();
      if (auto kubelet = kubelet_.NextEvent(); kubelet && (!next || *kubelet < *next)) {
        next = kubelet;
      }
      if (!next || *next > until) break;
      clock_.AdvanceTo(std::max(*next, clock_.Now()));
      same_time = clock_.Now() == before ? same_time + 1 : 0;
      if (same_time > 1000) {
        ADD_FAILURE() << "the virtual cluster makes no progress at " << EpochSeconds(before);
        return;
      }
    }
    clock_.AdvanceTo(until);
    Step();
    if (check) check();
  }
  void RunFor(core::Duration duration, const std::function<void()>& check = {}) {
    RunUntil(clock_.Now() + duration, check);
  }
  // Runs (at most `limit`) until `stop` holds; false when it never did.
  bool RunUntilTrue(const std::function<bool()>& stop, core::Duration limit,
                    const std::function<void()>& check = {}) {
    RunUntil(clock_.Now() + limit, check, stop);
    return stop();
  }

  // A Deployment "web" of `replicas` pods requesting `cpu_milli` each.
  void CreateDeployment(int32_t replicas, int64_t cpu_milli) {
    api::Deployment deployment;
    deployment.metadata.namespace_ = "default";
    deployment.metadata.name = "web";
    deployment.replicas = replicas;
    deployment.selector = core::LabelSelector{{{"app", "web"}}, {}};
    deployment.pod_template.metadata.labels = {{"app", "web"}};
    deployment.pod_template.spec = MakePod("ignored", cpu_milli).spec;
    ASSERT_TRUE(cluster_.Deployments().Create(deployment));
  }

  std::vector<std::string> NodeNames() {
    std::vector<std::string> names;
    for (const auto& node : cluster_.Nodes().List()) names.push_back(node->metadata.name);
    return names;
  }
  std::vector<std::string> ClaimNames() {
    std::vector<std::string> names;
    for (const auto& claim : cluster_.NodeClaims().List()) names.push_back(claim->metadata.name);
    return names;
  }
  // NodeClaims created as replacements by the disruption controller.
  std::vector<kube::ObjectPtr<api::NodeClaim>> Replacements() {
    std::vector<kube::ObjectPtr<api::NodeClaim>> out;
    for (const auto& claim : cluster_.NodeClaims().List()) {
      if (claim->metadata.annotations.contains(std::string(kDisruptionReplacementForAnnotation))) {
        out.push_back(claim);
      }
    }
    return out;
  }
  // The NodeClaim registered as `node`, or nullptr.
  kube::ObjectPtr<api::NodeClaim> ClaimOfNode(const std::string& node) {
    for (const auto& claim : cluster_.NodeClaims().List()) {
      if (claim->status.node_name == node) return claim;
    }
    return nullptr;
  }
  bool Tainted(const std::string& node) {
    auto got = cluster_.Nodes().Get({"", node});
    return got && HasDisruptedTaint(**got);
  }
  // Pod names bound to `node`.
  std::vector<std::string> PodsOn(const std::string& node) {
    std::vector<std::string> names;
    for (const auto& pod : cluster_.Pods().List()) {
      if (pod->spec.node_name == node) names.push_back(pod->metadata.name);
    }
    return names;
  }
  std::vector<std::string> LiveInstances() {
    std::vector<std::string> ids;
    for (const cloud::Instance& instance : cloud_.List()) ids.push_back(instance.provider_id);
    return ids;
  }

  core::ManualClock clock_{kStart};
  kube::MemoryCluster cluster_;
  cloud::SimulatedCloud cloud_;
  sim::Kubelet kubelet_;
  sim::Binder binder_;
  sim::WorkloadController workloads_;
  std::unique_ptr<Manager> manager_;
  DisruptionController* disruption_ = nullptr;
};

}  // namespace karpenter::controllers::test_util
