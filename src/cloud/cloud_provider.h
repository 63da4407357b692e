// CloudProvider: the cloud as controllers see it (upstream's cloudprovider.CloudProvider).
// Create launches an instance for a NodeClaim; Delete terminates it; Get/List read
// instances; InstanceTypes gives a NodePool's catalog; IsDrifted compares a NodeClaim with
// its NodeClass. Implemented by the simulated cloud (cloud/simulated_cloud.h) for simulations
// and tests; an AWS implementation later.
#pragma once

#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/model/node_claim.h"
#include "api/model/node_pool.h"
#include "catalog/catalog.h"
#include "catalog/offering.h"
#include "core/clock.h"
#include "core/requirements.h"
#include "core/resource_list.h"

namespace karpenter::cloud {

enum class CloudErrorCode {
  kInsufficientCapacity,  // no compatible offering could be launched (ICE on every one tried)
  kLaunchFailed,          // the launch failed for another reason (retry later)
  kNotFound,              // no such instance (already terminated, or never existed)
  kInvalid,               // the NodeClaim cannot be launched as written (no compatible type)
};

// "InsufficientCapacity", "LaunchFailed", "NotFound" or "Invalid".
std::string_view ToString(CloudErrorCode code);

struct CloudError {
  CloudErrorCode code = CloudErrorCode::kLaunchFailed;
  std::string message;
};

template <class T>
using CloudResult = std::expected<T, CloudError>;

enum class InstanceState { kPending, kRunning, kShuttingDown, kTerminated };

// EC2's state names: "pending", "running", "shutting-down", "terminated".
std::string_view ToString(InstanceState state);

// A launched instance and what its NodeClaim's status needs from it.
struct Instance {
  std::string provider_id;  // "aws:///us-east-1a/i-00000000000000001"
  std::string node_claim;   // the NodeClaim it was launched for (its name)
  std::string node_pool;
  std::string instance_type;
  std::string zone;
  catalog::CapacityType capacity_type = catalog::CapacityType::kOnDemand;
  double price_per_hour = 0;
  std::string image_id;
  core::Time launch_time;
  InstanceState state = InstanceState::kPending;
  // The instance type's, zone, capacity type and instance type labels.
  core::Labels labels;
  core::ResourceList capacity;
  core::ResourceList allocatable;
};

// A spot interruption warning (upstream reads these from an SQS queue of EC2 events): the
// instance is reclaimed at `terminate_at`, two minutes after the warning.
struct InterruptionWarning {
  std::string provider_id;
  core::Time warned_at;
  core::Time terminate_at;
};

class CloudProvider {
 public:
  virtual ~CloudProvider() = default;

  // Launches the cheapest available offering the NodeClaim's requirements allow (instance
  // type, zone, capacity type; spot first when allowed). Idempotent on the NodeClaim's name:
  // a second Create for the same NodeClaim returns the instance already launched.
  virtual CloudResult<Instance> Create(const api::NodeClaim& node_claim) = 0;
  // Starts terminating the instance. kNotFound once it is gone.
  virtual CloudResult<void> Delete(const std::string& provider_id) = 0;
  virtual CloudResult<Instance> Get(const std::string& provider_id) const = 0;
  // Every instance not yet terminated, by provider id.
  virtual std::vector<Instance> List() const = 0;
  // Visits what List() returns, in the same order, without the copies where the provider can
  // (a simulated cloud holds its instances in memory). The default lists.
  virtual void ForEachInstance(const std::function<void(const Instance&)>& visit) const {
    for (const Instance& instance : List()) visit(instance);
  }
  // The instance types a NodePool may launch (its NodeClass's view of the catalog), shared.
  virtual std::shared_ptr<const catalog::Catalog> InstanceTypes(
      const api::NodePool& node_pool) const = 0;
  // Why the NodeClaim's instance no longer matches its NodeClass ("AMIDrift",
  // "SubnetDrift", "SecurityGroupDrift"), or nullopt when it does.
  virtual std::optional<std::string> IsDrifted(const api::NodeClaim& node_claim) const = 0;
  // Interruption warnings not yet received (each is returned once).
  virtual std::vector<InterruptionWarning> ReceiveInterruptions() = 0;
  // Keeps `offering` out of launches (and, through the shared cache, out of the provisioner's
  // choices) for the cache's usual time, as upstream's interruption controller marks the
  // offering of a spot instance being reclaimed. False when the provider keeps no
  // unavailable-offerings cache (then nothing changes).
  virtual bool MarkUnavailable(const catalog::OfferingKey& /*offering*/) { return false; }
};

}  // namespace karpenter::cloud
