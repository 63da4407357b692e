// Provisioner: the singleton controller that launches capacity for pending pods, as upstream's
// provisioning controller (sigs.k8s.io/karpenter pkg/controllers/provisioning) does.
//
// Batching: a pod becoming provisionable (controllers/provisioning_input.h IsProvisionable), a
// NodeClaim or Node being deleted, opens a batch window or extends it. The pass runs once no
// new trigger came for kBatchIdle, or kBatchMax after the window opened, whichever is first
// (upstream's BATCH_IDLE_DURATION / BATCH_MAX_DURATION defaults, 1 s and 10 s).
//
// A pass lists pods, Nodes, NodeClaims (in-flight claims count as capacity), NodePools (with
// the cloud's catalog for each) and DaemonSets, runs scheduling::Schedule, and creates one
// karpenter.sh/v1 NodeClaim per new claim the scheduler asks for (see MakeNodeClaim). Pods
// the scheduler places on existing or in-flight capacity are left for the kube-scheduler
// (the binder stand-in): the provisioner never binds. It keeps no state beyond the batch
// window, so a restarted provisioner converges: in-flight NodeClaims are capacity, so the
// pods they were made for are not provisioned for again.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/model/node_claim.h"
#include "api/model/node_pool.h"
#include "catalog/unavailable_offerings.h"
#include "cloud/cloud_provider.h"
#include "controllers/controller.h"
#include "controllers/manager.h"
#include "core/clock.h"
#include "kube/cluster.h"
#include "scheduling/cluster_nodes.h"
#include "scheduling/scheduler.h"

namespace karpenter::controllers {

struct ProvisionerOptions {
  core::Duration batch_idle = std::chrono::seconds(1);
  core::Duration batch_max = std::chrono::seconds(10);
  // Offerings that recently failed with insufficient capacity (the cloud's cache, e.g.
  // SimulatedCloud::unavailable_offerings()); they are kept out of new NodeClaims while held.
  // nullptr: none. Must outlive the provisioner.
  const catalog::UnavailableOfferings* unavailable_offerings = nullptr;
};

// What the last pass did (for tests and reports).
struct ProvisioningPass {
  core::Time at;
  size_t pending_pods = 0;
  std::vector<std::string> created;        // NodeClaim names, in creation order
  size_t placed_on_existing = 0;           // pods the scheduler put on existing/in-flight capacity
  std::vector<std::string> unschedulable;  // "namespace/name: reason"
  std::vector<std::string> errors;         // failed creates
};

class Provisioner final : public Controller {
 public:
  static constexpr std::string_view kName = "provisioner";
  static constexpr std::string_view kKey = "provisioner";

  // Prefer Register(). The ports and the clock must outlive the controller.
  Provisioner(Manager& manager, kube::ClusterPort& cluster, cloud::CloudProvider& cloud,
              const core::Clock& clock, ProvisionerOptions options = {});
  ~Provisioner() override;
  Provisioner(const Provisioner&) = delete;
  Provisioner& operator=(const Provisioner&) = delete;

  // Adds a provisioner to `manager` and starts its watches (pods, NodeClaims, Nodes); opens a
  // batch at once when provisionable pods already exist (an informer's initial list). Returns
  // it (owned by the manager), or nullptr when the manager already has one.
  static Provisioner* Register(Manager& manager, kube::ClusterPort& cluster,
                               cloud::CloudProvider& cloud, const core::Clock& clock,
                               ProvisionerOptions options = {});

  std::string_view Name() const override { return kName; }
  // Runs a pass when the batch window has closed; before that, requeues for its end.
  ReconcileResult Reconcile(const std::string& key) override;

  // Opens the batch window, or extends it (never past batch_max after it opened).
  void Trigger();
  // When the open window closes; nullopt when none is open.
  std::optional<core::Time> BatchDeadline() const;
  // Runs one pass now, whatever the window (what Reconcile does once it closes).
  const ProvisioningPass& Provision();

  const std::optional<ProvisioningPass>& last_pass() const { return last_pass_; }
  size_t passes() const { return passes_; }

 private:
  void StartWatches();

  Manager& manager_;
  kube::ClusterPort& cluster_;
  cloud::CloudProvider& cloud_;
  const core::Clock& clock_;
  ProvisionerOptions options_;
  std::optional<core::Time> batch_start_;
  core::Time last_trigger_;
  std::vector<kube::WatchId> pod_watches_, claim_watches_, node_watches_;
  std::optional<ProvisioningPass> last_pass_;
  // Node requirements kept between passes.
  scheduling::NodeRequirementsCache node_requirements_;
  size_t passes_ = 0;
};

// Adds the provisioner to `manager` (Provisioner::Register with default options).
void RegisterProvisioner(Manager& manager, kube::ClusterPort& cluster, cloud::CloudProvider& cloud,
                         const core::Clock& clock);

// The NodeClaim object for `claim`, launched from `node_pool` (not yet named: generateName
// "<nodepool>-"): labels = the template's plus karpenter.sh/nodepool; annotations = the
// template's plus karpenter.sh/nodepool-hash and its version (disruption/nodepool_hash.h);
// spec.requirements = the claim's requirements with node.kubernetes.io/instance-type In the
// instance-type options (cheapest first, keeping a minValues the claim had on that key);
// spec.resources.requests = the claim's requests; taints, startupTaints, nodeClassRef,
// expireAfter and terminationGracePeriod from the template; the karpenter.sh/termination
// finalizer; an ownerReference to the NodePool (blockOwnerDeletion).
api::NodeClaim MakeNodeClaim(const api::NodePool& node_pool, const scheduling::NewNodeClaim& claim);

}  // namespace karpenter::controllers
