// SimulatedCloud: an in-memory EC2 for simulations and tests. It launches from a catalog the
// way upstream's AWS provider does (cheapest allowed offering, one capacity type per launch,
// reserved then spot before on-demand, capacity errors recorded in a shared
// unavailable-offerings cache), keeps instances and their lifecycle on an injected clock, and
// lets a test or a replay inject the outside world's failures: insufficient capacity, failed
// launches, nodes that never register, spot interruptions.
//
// Lifecycle, derived from the clock (reads are always current; Tick() only frees memory):
//   pending --kBootTime--> running;  Delete: --> shutting-down --kShutdownTime--> terminated;
//   Interrupt: terminated at warned_at + kInterruptionNotice, whatever the state before.
// A terminated instance is gone: Get/Delete report kNotFound, List leaves it out.
//
// Not thread-safe: one controller loop (or one test) drives it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cloud/cloud_provider.h"
#include "cloud/launch_plan.h"

namespace karpenter::cloud {

class SimulatedCloud final : public CloudProvider {
 public:
  using CatalogPtr = std::shared_ptr<const catalog::Catalog>;

  // EC2 reports an instance running a few seconds after launch.
  static constexpr core::Duration kBootTime = std::chrono::seconds(5);
  // How long shutting-down lasts after Delete before the instance is terminated.
  static constexpr core::Duration kShutdownTime = std::chrono::seconds(30);
  // A spot interruption notice comes two minutes before the instance is reclaimed.
  static constexpr core::Duration kInterruptionNotice = std::chrono::minutes(2);
  // Default time from launch until the instance's node registers with the cluster.
  static constexpr core::Duration kDefaultRegistrationDelay = std::chrono::seconds(30);
  // The image of a NodeClass no SetImage call named.
  static constexpr std::string_view kDefaultImage = "ami-simulated";

  // Launches from `catalog`, or, for a NodeClaim (NodePool) whose NodeClass name is a key of
  // `node_class_catalogs`, from that catalog. `clock` must outlive the cloud.
  SimulatedCloud(const core::Clock& clock, CatalogPtr catalog,
                 std::map<std::string, CatalogPtr, std::less<>> node_class_catalogs = {});

  // CloudProvider. Create fails with kInvalid when the NodeClaim has no name, its requirements
  // do not parse, or no offering of its catalog is compatible with its requirements and
  // requests; with kInsufficientCapacity when every compatible offering is marked unavailable
  // or every option of the chosen capacity type hit an injected capacity error (the message
  // lists those tried, "type/zone/capacity-type"); with kLaunchFailed while FailNextLaunches
  // is in force. Launched instances are labelled with the type's single-valued labels, zone,
  // capacity type, instance type and karpenter.sh/nodepool (from the NodeClaim's label).
  CloudResult<Instance> Create(const api::NodeClaim& node_claim) override;
  // kNotFound when unknown or terminated; a second Delete while shutting down is a no-op.
  CloudResult<void> Delete(const std::string& provider_id) override;
  CloudResult<Instance> Get(const std::string& provider_id) const override;
  std::vector<Instance> List() const override;
  // Visits the live instances in place, each with its state now. The simulation's stand-ins
  // and controllers look at every instance often; copying 2,000 instances' labels each time
  // was most of a long replay.
  void ForEachInstance(const std::function<void(const Instance&)>& visit) const override;
  std::shared_ptr<const catalog::Catalog> InstanceTypes(
      const api::NodePool& node_pool) const override;
  // "AMIDrift" when the NodeClaim's instance (status.provider_id, else the instance launched
  // for its name) has another image than its NodeClass's current one (SetImage); nullopt
  // when they match or no live instance is known.
  std::optional<std::string> IsDrifted(const api::NodeClaim& node_claim) const override;
  std::vector<InterruptionWarning> ReceiveInterruptions() override;
  // Marks `offering` in unavailable_offerings() from now for UnavailableOfferings::kDefaultTtl.
  bool MarkUnavailable(const catalog::OfferingKey& offering) override;

  // --- Fault injection and configuration ---

  // From now on, launching `instance_type` in `zone` as `capacity_type` fails with
  // insufficient capacity until cleared. A Create that tries it marks it unavailable in the
  // cache for UnavailableOfferings::kDefaultTtl and tries the next option, as a fleet request
  // works down its overrides.
  void InjectInsufficientCapacity(std::string instance_type, std::string zone,
                                  catalog::CapacityType capacity_type);
  void ClearInsufficientCapacity(const std::string& instance_type, const std::string& zone,
                                 catalog::CapacityType capacity_type);
  void ClearAllInsufficientCapacity();
  // The next `count` Creates that would launch (not those returning an existing instance,
  // nor those failing validation or capacity checks) fail with kLaunchFailed and `message`.
  // Replaces an earlier count.
  void FailNextLaunches(int count, std::string message = "simulated launch failure");
  // The node of the instance for `node_claim_name` never registers: applies to a live
  // instance already launched for it and to later launches for that name.
  void NeverRegister(std::string node_claim_name);
  // The nodes of the next `count` launched instances never register (replaces an earlier
  // count).
  void NeverRegisterNextLaunches(int count);
  // Registration delay of instances launched from now on (default kDefaultRegistrationDelay).
  void SetRegistrationDelay(core::Duration delay) { registration_delay_ = delay; }
  // The state of `provider_id` now; nullopt when unknown or terminated. Get without the copy:
  // the kubelet stand-in asks for every node at every step.
  std::optional<InstanceState> StateOf(const std::string& provider_id) const;
  // How long after launch the node of `provider_id` registers; nullopt when it never does
  // (or the instance is unknown). Read by the kubelet stand-in.
  std::optional<core::Duration> RegistrationDelay(const std::string& provider_id) const;
  // The current image of `node_class_name`: launches use it and IsDrifted compares with it.
  void SetImage(std::string node_class_name, std::string image_id);
  // The current image of `node_class_name` (kDefaultImage unless SetImage named it).
  std::string Image(std::string_view node_class_name) const;
  // Queues an interruption warning for a live instance (returned once by
  // ReceiveInterruptions) and terminates the instance at warned_at + kInterruptionNotice (or
  // earlier, when it was already shutting down with an earlier end). kNotFound otherwise.
  CloudResult<InterruptionWarning> Interrupt(const std::string& provider_id);

  // --- Housekeeping and reports ---

  // Forgets instances terminated by now (frees memory, keeps List proportional to the live
  // fleet); costs are kept. Create, Delete and Interrupt call it; a simulation may call it
  // each step. Never changes what Get, List or CostSoFar report.
  void Tick();
  // USD so far: each instance's hourly price times the hours from its launch until its
  // termination (or now).
  double CostSoFar() const;
  // Instances launched so far (the counter behind instance ids).
  uint64_t launches() const { return next_id_ - 1; }
  // Grows with every change not derived from the clock alone (a launch, a delete, an
  // interruption, a never-register fault, an instance forgotten): what a simulation compares
  // to know that nothing changed since it last looked.
  uint64_t revision() const { return revision_; }

  // The cache of offerings that recently failed to launch, shared with the provisioner as
  // upstream shares it between the cloud provider and the instance-type provider.
  const catalog::UnavailableOfferings& unavailable_offerings() const { return unavailable_; }
  catalog::UnavailableOfferings& unavailable_offerings() { return unavailable_; }

 private:
  struct Record {
    // `state` is derived from the clock (StateAt) and brought up to date when read in place.
    mutable Instance instance;
    std::string node_class;
    std::optional<core::Time> shutdown_at;             // when Delete was called
    std::optional<core::Time> terminate_at;            // when the instance is (to be) terminated
    std::optional<core::Duration> registration_delay;  // nullopt: never registers
  };

  static InstanceState StateAt(const Record& record, core::Time now);
  static double CostAt(const Record& record, core::Time now);
  const catalog::Catalog& CatalogFor(std::string_view node_class_name) const;
  // The live (not terminated) record for `provider_id`, or nullptr.
  Record* FindLive(const std::string& provider_id);
  const Record* FindLive(const std::string& provider_id) const;
  Instance Snapshot(const Record& record) const;
  CloudResult<Instance> Launch(const api::NodeClaim& node_claim, const LaunchOption& option);
  // Terminates `record` at `time` unless it already ends earlier.
  void ScheduleTermination(Record& record, core::Time time);

  const core::Clock& clock_;
  CatalogPtr catalog_;
  std::map<std::string, CatalogPtr, std::less<>> node_class_catalogs_;
  catalog::UnavailableOfferings unavailable_;

  std::set<catalog::OfferingKey> insufficient_capacity_;
  int fail_launches_ = 0;
  std::string fail_message_;
  std::set<std::string, std::less<>> never_register_claims_;
  int never_register_launches_ = 0;
  core::Duration registration_delay_ = kDefaultRegistrationDelay;
  std::map<std::string, std::string, std::less<>> images_;

  // Instances not yet forgotten by Tick, by provider id (sorted, so List is too).
  std::map<std::string, Record> instances_;
  // NodeClaim name -> provider id of its most recent instance (idempotent Create).
  std::unordered_map<std::string, std::string> by_node_claim_;
  // Pending terminations by time; an entry is stale when the record's terminate_at moved.
  std::multimap<core::Time, std::string> terminations_;
  std::vector<InterruptionWarning> interruptions_;
  uint64_t next_id_ = 1;
  uint64_t revision_ = 0;
  double forgotten_cost_ = 0;  // cost of the instances Tick forgot
};

}  // namespace karpenter::cloud
