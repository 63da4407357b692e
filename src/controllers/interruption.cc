#include "controllers/interruption.h"

#include <map>
#include <memory>
#include <vector>

#include "catalog/labels.h"
#include "catalog/offering.h"

namespace karpenter::controllers {
namespace {

std::string LabelOf(const api::NodeClaim& claim, std::string_view key) {
  auto it = claim.metadata.labels.find(std::string(key));
  return it == claim.metadata.labels.end() ? "" : it->second;
}

}  // namespace

InterruptionController::InterruptionController(kube::ClusterPort& cluster,
                                               cloud::CloudProvider& cloud,
                                               core::Duration poll_interval)
    : cluster_(cluster),
      cloud_(cloud),
      poll_interval_(poll_interval > core::Duration::zero() ? poll_interval
                                                            : kDefaultPollInterval) {}

InterruptionController* InterruptionController::Register(Manager& manager,
                                                         kube::ClusterPort& cluster,
                                                         cloud::CloudProvider& cloud,
                                                         const core::Clock& /*clock*/,
                                                         core::Duration poll_interval) {
  auto owned = std::make_unique<InterruptionController>(cluster, cloud, poll_interval);
  InterruptionController* controller = owned.get();
  if (manager.Add(std::move(owned)) == nullptr) return nullptr;
  manager.Enqueue(kName, std::string(kKey));
  return controller;
}

void RegisterInterruption(Manager& manager, kube::ClusterPort& cluster,
                          cloud::CloudProvider& cloud, const core::Clock& clock) {
  InterruptionController::Register(manager, cluster, cloud, clock);
}

ReconcileResult InterruptionController::Reconcile(const std::string& /*key*/) {
  const std::vector<cloud::InterruptionWarning> warnings = cloud_.ReceiveInterruptions();
  if (warnings.empty()) return ReconcileResult::After(poll_interval_);
  counts_.received += warnings.size();

  // As upstream: one listing per batch of messages, NodeClaims found by their providerID.
  std::map<std::string, kube::ObjectPtr<api::NodeClaim>, std::less<>> by_provider_id;
  for (const kube::ObjectPtr<api::NodeClaim>& claim : cluster_.NodeClaims().List()) {
    if (!claim->status.provider_id.empty()) by_provider_id.emplace(claim->status.provider_id, claim);
  }
  for (const cloud::InterruptionWarning& warning : warnings) {
    auto found = by_provider_id.find(warning.provider_id);
    if (found == by_provider_id.end()) {
      ++counts_.ignored;
      continue;
    }
    ++counts_.handled;
    Handle(*found->second, warning);
  }
  return ReconcileResult::After(poll_interval_);
}

void InterruptionController::Handle(const api::NodeClaim& claim,
                                    const cloud::InterruptionWarning& warning) {
  // The offering being reclaimed: the NodeClaim's labels (what upstream reads), else the
  // instance's own record.
  catalog::OfferingKey offering{LabelOf(claim, catalog::kLabelInstanceType),
                                LabelOf(claim, catalog::kLabelZone),
                                catalog::CapacityType::kSpot};
  if (offering.instance_type.empty() || offering.zone.empty()) {
    if (auto instance = cloud_.Get(warning.provider_id)) {
      offering.instance_type = instance->instance_type;
      offering.zone = instance->zone;
    }
  }
  if (!offering.instance_type.empty() && !offering.zone.empty() &&
      cloud_.MarkUnavailable(offering)) {
    ++counts_.offerings_marked;
  }
  if (claim.metadata.deletion_timestamp) return;
  // NotFound (deleted meanwhile) needs nothing more; any other failure is not retried, as the
  // warning has been consumed (upstream would leave the message in the queue and retry).
  if (cluster_.NodeClaims().Delete({"", claim.metadata.name})) ++counts_.deleted;
}

}  // namespace karpenter::controllers
