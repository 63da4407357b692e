// The provisioner: batch window, scheduling pass, NodeClaim objects.
#include "controllers/provisioner.h"

#include <algorithm>
#include <map>
#include <memory>
#include <utility>

#include "catalog/labels.h"
#include "controllers/lifecycle_keys.h"
#include "controllers/provisioning_input.h"
#include "disruption/nodepool_hash.h"
#include "disruption/snapshot.h"

namespace karpenter::controllers {
namespace {

std::string PodName(const api::Pod& pod) {
  return pod.metadata.namespace_ + "/" + pod.metadata.name;
}

// The claim's requirements in wire form, with the instance-type key replaced by the options.
std::vector<core::NodeSelectorRequirement> ClaimRequirements(
    const scheduling::NewNodeClaim& claim) {
  const std::string type_key(catalog::kLabelInstanceType);
  std::vector<core::NodeSelectorRequirement> wire;
  for (const auto& [key, requirement] : claim.requirements) {
    if (key == type_key) continue;
    for (core::NodeSelectorRequirement& entry : requirement.ToNodeSelectorRequirements()) {
      wire.push_back(std::move(entry));
    }
  }
  core::NodeSelectorRequirement types{type_key, core::Operator::In, {}, std::nullopt};
  for (const catalog::InstanceType* type : claim.instance_type_options) {
    types.values.push_back(type->name());
  }
  if (claim.requirements.Has(type_key)) {
    types.min_values = claim.requirements.Get(type_key).min_values();
  }
  // Sorted by key, as Requirements lists them.
  auto at = std::ranges::find_if(
      wire, [&](const core::NodeSelectorRequirement& entry) { return entry.key > type_key; });
  wire.insert(at, std::move(types));
  return wire;
}

}  // namespace

api::NodeClaim MakeNodeClaim(const api::NodePool& node_pool,
                             const scheduling::NewNodeClaim& claim) {
  const api::NodeClaimTemplate& tmpl = node_pool.spec.template_;
  api::NodeClaim object;
  object.metadata.generate_name = node_pool.metadata.name + "-";
  object.metadata.labels = tmpl.metadata.labels;
  object.metadata.labels[std::string(kNodePoolLabel)] = node_pool.metadata.name;
  object.metadata.annotations = tmpl.metadata.annotations;
  object.metadata.annotations[std::string(disruption::kNodePoolHashAnnotation)] =
      disruption::NodePoolTemplateHash(node_pool);
  object.metadata.annotations[std::string(disruption::kNodePoolHashVersionAnnotation)] =
      std::string(disruption::kNodePoolHashVersion);
  object.metadata.finalizers.emplace_back(kTerminationFinalizer);
  api::OwnerReference owner;
  owner.api_version = std::string(kKarpenterApiVersion);
  owner.kind = "NodePool";
  owner.name = node_pool.metadata.name;
  owner.uid = node_pool.metadata.uid;
  owner.block_owner_deletion = true;
  object.metadata.owner_references.push_back(std::move(owner));

  object.spec.taints = tmpl.spec.taints;
  object.spec.startup_taints = tmpl.spec.startup_taints;
  object.spec.node_class_ref = tmpl.spec.node_class_ref;
  object.spec.termination_grace_period = tmpl.spec.termination_grace_period;
  object.spec.expire_after = tmpl.spec.expire_after;
  object.spec.requirements = ClaimRequirements(claim);
  object.spec.resource_requests = claim.requests;
  return object;
}

Provisioner::Provisioner(Manager& manager, kube::ClusterPort& cluster, cloud::CloudProvider& cloud,
                         const core::Clock& clock, ProvisionerOptions options)
    : manager_(manager), cluster_(cluster), cloud_(cloud), clock_(clock), options_(options) {}

Provisioner::~Provisioner() {
  for (kube::WatchId id : pod_watches_) cluster_.Pods().Unwatch(id);
  for (kube::WatchId id : claim_watches_) cluster_.NodeClaims().Unwatch(id);
  for (kube::WatchId id : node_watches_) cluster_.Nodes().Unwatch(id);
}

Provisioner* Provisioner::Register(Manager& manager, kube::ClusterPort& cluster,
                                   cloud::CloudProvider& cloud, const core::Clock& clock,
                                   ProvisionerOptions options) {
  auto owned = std::make_unique<Provisioner>(manager, cluster, cloud, clock, options);
  Provisioner* provisioner = owned.get();
  if (manager.Add(std::move(owned)) == nullptr) return nullptr;
  provisioner->StartWatches();
  return provisioner;
}

void RegisterProvisioner(Manager& manager, kube::ClusterPort& cluster, cloud::CloudProvider& cloud,
                         const core::Clock& clock) {
  Provisioner::Register(manager, cluster, cloud, clock);
}

void Provisioner::StartWatches() {
  pod_watches_.push_back(cluster_.Pods().Watch([this](const kube::WatchEvent<api::Pod>& event) {
    if (event.type != kube::EventType::kDeleted && IsProvisionable(*event.object)) Trigger();
  }));
  // Capacity going away may leave pods without room: an ICE'd or timed-out NodeClaim's pods
  // are still pending and get no event of their own.
  claim_watches_.push_back(
      cluster_.NodeClaims().Watch([this](const kube::WatchEvent<api::NodeClaim>& event) {
        if (event.type == kube::EventType::kDeleted ||
            event.object->metadata.deletion_timestamp.has_value()) {
          Trigger();
        }
      }));
  node_watches_.push_back(cluster_.Nodes().Watch([this](const kube::WatchEvent<api::Node>& event) {
    if (event.type == kube::EventType::kDeleted) Trigger();
  }));
  // As an informer's initial list: pods already pending start a batch.
  for (const auto& pod : cluster_.Pods().List()) {
    if (IsProvisionable(*pod)) {
      Trigger();
      break;
    }
  }
}

std::optional<core::Time> Provisioner::BatchDeadline() const {
  if (!batch_start_) return std::nullopt;
  return std::min(last_trigger_ + options_.batch_idle, *batch_start_ + options_.batch_max);
}

void Provisioner::Trigger() {
  const core::Time now = clock_.Now();
  if (!batch_start_) batch_start_ = now;
  last_trigger_ = now;
  // The queue keeps the earlier due time; a reconcile before the deadline requeues itself.
  manager_.Enqueue(kName, std::string(kKey), *BatchDeadline() - now);
}

ReconcileResult Provisioner::Reconcile(const std::string& /*key*/) {
  const core::Time now = clock_.Now();
  if (auto deadline = BatchDeadline(); deadline && now < *deadline) {
    return ReconcileResult::After(*deadline - now);
  }
  Provision();
  return ReconcileResult::Done();
}

const ProvisioningPass& Provisioner::Provision() {
  batch_start_.reset();
  ++passes_;
  ProvisioningPass pass;
  pass.at = clock_.Now();
  const ClusterObjects objects = ListClusterObjects(cluster_);
  const ProvisioningInput input = BuildProvisioningInput(
      objects, cloud_, options_.unavailable_offerings, pass.at, &node_requirements_);
  pass.pending_pods = input.input.pending.size();
  if (pass.pending_pods == 0) return last_pass_.emplace(std::move(pass));

  const scheduling::SchedulingResult result = scheduling::Schedule(input.input);
  for (const scheduling::ExistingNodePlacement& placement : result.existing_node_placements) {
    pass.placed_on_existing += placement.pods.size();
  }
  for (const scheduling::UnschedulablePod& pod : result.unschedulable) {
    pass.unschedulable.push_back(PodName(*pod.pod) + ": " + pod.reason);
  }
  std::map<std::string_view, const api::NodePool*> pools;
  for (const scheduling::NodePoolOption& option : input.input.node_pools) {
    pools.emplace(option.node_pool->metadata.name, option.node_pool);
  }
  for (const scheduling::NewNodeClaim& claim : result.new_node_claims) {
    auto pool = pools.find(claim.node_pool);
    if (pool == pools.end()) continue;  // the scheduler only uses the pools it was given
    auto created = cluster_.NodeClaims().Create(MakeNodeClaim(*pool->second, claim));
    if (created) {
      pass.created.push_back((*created)->metadata.name);
    } else {
      pass.errors.push_back("NodePool " + claim.node_pool + ": " + created.error().message);
    }
  }
  return last_pass_.emplace(std::move(pass));
}

}  // namespace karpenter::controllers
