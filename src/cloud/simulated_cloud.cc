#include "cloud/simulated_cloud.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <utility>

#include "catalog/labels.h"

namespace karpenter::cloud {
namespace {

constexpr std::string_view kLabelNodePool = "karpenter.sh/nodepool";

CloudError MakeError(CloudErrorCode code, std::string message) {
  return CloudError{code, std::move(message)};
}

// "i-" and 17 hex digits, as EC2 ids look; deterministic from the launch counter.
std::string InstanceId(uint64_t counter) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "i-%017" PRIx64, counter);
  return buffer;
}

std::string Describe(const catalog::OfferingKey& key) {
  return key.instance_type + "/" + key.zone + "/" +
         std::string(catalog::ToString(key.capacity_type));
}

// The node labels an instance of `type` gets: every label the type has exactly one value for,
// then the offering's zone and capacity type (the type itself lists all of its offerings').
core::Labels InstanceLabels(const catalog::InstanceType& type, const catalog::Offering& offering,
                            const std::string& node_pool) {
  core::Labels labels;
  for (const auto& [key, requirement] : type.Requirements()) {
    if (requirement.complement() || requirement.Len() != 1) continue;
    labels[key] = requirement.Values().front();
  }
  labels[std::string(catalog::kLabelInstanceType)] = type.name();
  labels[std::string(catalog::kLabelZone)] = offering.zone;
  labels[std::string(catalog::kLabelCapacityType)] =
      std::string(catalog::ToString(offering.capacity_type));
  if (!node_pool.empty()) labels[std::string(kLabelNodePool)] = node_pool;
  return labels;
}

}  // namespace

SimulatedCloud::SimulatedCloud(const core::Clock& clock, CatalogPtr catalog,
                               std::map<std::string, CatalogPtr, std::less<>> node_class_catalogs)
    : clock_(clock),
      catalog_(catalog ? std::move(catalog) : std::make_shared<const catalog::Catalog>()),
      node_class_catalogs_(std::move(node_class_catalogs)) {}

// --- Lifecycle, derived from the clock ---

InstanceState SimulatedCloud::StateAt(const Record& record, core::Time now) {
  if (record.terminate_at && now >= *record.terminate_at) return InstanceState::kTerminated;
  if (record.shutdown_at && now >= *record.shutdown_at) return InstanceState::kShuttingDown;
  if (now >= record.instance.launch_time + kBootTime) return InstanceState::kRunning;
  return InstanceState::kPending;
}

double SimulatedCloud::CostAt(const Record& record, core::Time now) {
  core::Time end = now;
  if (record.terminate_at) end = std::min(end, *record.terminate_at);
  if (end <= record.instance.launch_time) return 0;
  const std::chrono::duration<double, std::ratio<3600>> hours = end - record.instance.launch_time;
  return record.instance.price_per_hour * hours.count();
}

const SimulatedCloud::Record* SimulatedCloud::FindLive(const std::string& provider_id) const {
  auto it = instances_.find(provider_id);
  if (it == instances_.end()) return nullptr;
  if (StateAt(it->second, clock_.Now()) == InstanceState::kTerminated) return nullptr;
  return &it->second;
}

SimulatedCloud::Record* SimulatedCloud::FindLive(const std::string& provider_id) {
  return const_cast<Record*>(std::as_const(*this).FindLive(provider_id));
}

Instance SimulatedCloud::Snapshot(const Record& record) const {
  Instance instance = record.instance;
  instance.state = StateAt(record, clock_.Now());
  return instance;
}

void SimulatedCloud::ScheduleTermination(Record& record, core::Time time) {
  if (record.terminate_at && *record.terminate_at <= time) return;
  record.terminate_at = time;
  terminations_.emplace(time, record.instance.provider_id);
}

void SimulatedCloud::Tick() {
  const core::Time now = clock_.Now();
  while (!terminations_.empty() && terminations_.begin()->first <= now) {
    auto due = terminations_.begin();
    auto it = instances_.find(due->second);
    if (it != instances_.end() && it->second.terminate_at == due->first) {
      forgotten_cost_ += CostAt(it->second, now);
      auto claim = by_node_claim_.find(it->second.instance.node_claim);
      if (claim != by_node_claim_.end() && claim->second == it->first) by_node_claim_.erase(claim);
      instances_.erase(it);
      ++revision_;
    }
    terminations_.erase(due);
  }
}

double SimulatedCloud::CostSoFar() const {
  const core::Time now = clock_.Now();
  double cost = forgotten_cost_;
  for (const auto& [id, record] : instances_) cost += CostAt(record, now);
  return cost;
}

// --- CloudProvider ---

const catalog::Catalog& SimulatedCloud::CatalogFor(std::string_view node_class_name) const {
  auto it = node_class_catalogs_.find(node_class_name);
  if (it != node_class_catalogs_.end() && it->second) return *it->second;
  return *catalog_;
}

std::shared_ptr<const catalog::Catalog> SimulatedCloud::InstanceTypes(
    const api::NodePool& node_pool) const {
  auto it = node_class_catalogs_.find(node_pool.spec.template_.spec.node_class_ref.name);
  if (it != node_class_catalogs_.end() && it->second) return it->second;
  return catalog_;
}

CloudResult<Instance> SimulatedCloud::Create(const api::NodeClaim& node_claim) {
  Tick();
  const std::string& name = node_claim.metadata.name;
  if (name.empty())
    return std::unexpected(MakeError(CloudErrorCode::kInvalid, "NodeClaim has no name"));
  if (auto existing = by_node_claim_.find(name); existing != by_node_claim_.end()) {
    if (const Record* record = FindLive(existing->second)) return Snapshot(*record);
  }
  Result<core::Requirements> requirements =
      core::Requirements::FromNodeSelectorRequirements(node_claim.spec.requirements);
  if (!requirements) {
    return std::unexpected(MakeError(CloudErrorCode::kInvalid,
                                     "NodeClaim " + name + ": " + requirements.error().message));
  }
  const core::Time now = clock_.Now();
  const LaunchPlan plan = PlanLaunch(CatalogFor(node_claim.spec.node_class_ref.name), *requirements,
                                     node_claim.spec.resource_requests, unavailable_, now);
  if (plan.compatible == 0) {
    return std::unexpected(MakeError(CloudErrorCode::kInvalid,
                                     "NodeClaim " + name +
                                         ": no instance type offering satisfies requirements [" +
                                         requirements->ToString() + "] and requests " +
                                         node_claim.spec.resource_requests.ToString()));
  }
  if (plan.options.empty()) {
    return std::unexpected(
        MakeError(CloudErrorCode::kInsufficientCapacity,
                  "NodeClaim " + name + ": all " + std::to_string(plan.compatible) +
                      " compatible offerings are marked unavailable after capacity errors"));
  }
  if (fail_launches_ > 0) {
    --fail_launches_;
    return std::unexpected(MakeError(CloudErrorCode::kLaunchFailed, fail_message_));
  }
  std::string tried;
  for (const LaunchOption& option : plan.options) {
    const catalog::OfferingKey key = option.Key();
    if (!insufficient_capacity_.contains(key)) return Launch(node_claim, option);
    // As a fleet request: the failed override is reported and the next one tried.
    unavailable_.MarkUnavailable(key, now);
    tried += (tried.empty() ? "" : ", ") + Describe(key);
  }
  return std::unexpected(MakeError(CloudErrorCode::kInsufficientCapacity,
                                   "NodeClaim " + name + ": insufficient capacity for " + tried));
}

CloudResult<Instance> SimulatedCloud::Launch(const api::NodeClaim& node_claim,
                                             const LaunchOption& option) {
  const catalog::InstanceType& type = *option.type;
  const catalog::Offering& offering = *option.offering;
  Record record;
  Instance& instance = record.instance;
  instance.provider_id = "aws:///" + offering.zone + "/" + InstanceId(next_id_++);
  instance.node_claim = node_claim.metadata.name;
  auto pool = node_claim.metadata.labels.find(std::string(kLabelNodePool));
  if (pool != node_claim.metadata.labels.end()) instance.node_pool = pool->second;
  instance.instance_type = type.name();
  instance.zone = offering.zone;
  instance.capacity_type = offering.capacity_type;
  instance.price_per_hour = offering.price;
  record.node_class = node_claim.spec.node_class_ref.name;
  instance.image_id = Image(record.node_class);
  instance.launch_time = clock_.Now();
  instance.state = InstanceState::kPending;
  instance.labels = InstanceLabels(type, offering, instance.node_pool);
  instance.capacity = type.capacity();
  instance.allocatable = type.allocatable();

  record.registration_delay = registration_delay_;
  if (never_register_launches_ > 0) {
    --never_register_launches_;
    record.registration_delay = std::nullopt;
  }
  if (never_register_claims_.contains(instance.node_claim))
    record.registration_delay = std::nullopt;

  by_node_claim_[instance.node_claim] = instance.provider_id;
  ++revision_;
  auto [it, inserted] = instances_.emplace(instance.provider_id, std::move(record));
  return Snapshot(it->second);
}

CloudResult<void> SimulatedCloud::Delete(const std::string& provider_id) {
  Tick();
  Record* record = FindLive(provider_id);
  if (record == nullptr) {
    return std::unexpected(MakeError(CloudErrorCode::kNotFound, "no instance " + provider_id));
  }
  if (record->shutdown_at) return {};  // already shutting down, as upstream skips a re-terminate
  const core::Time now = clock_.Now();
  record->shutdown_at = now;
  ScheduleTermination(*record, now + kShutdownTime);
  ++revision_;
  return {};
}

CloudResult<Instance> SimulatedCloud::Get(const std::string& provider_id) const {
  const Record* record = FindLive(provider_id);
  if (record == nullptr) {
    return std::unexpected(MakeError(CloudErrorCode::kNotFound, "no instance " + provider_id));
  }
  return Snapshot(*record);
}

void SimulatedCloud::ForEachInstance(const std::function<void(const Instance&)>& visit) const {
  const core::Time now = clock_.Now();
  for (const auto& [id, record] : instances_) {
    record.instance.state = StateAt(record, now);
    if (record.instance.state != InstanceState::kTerminated) visit(record.instance);
  }
}

std::optional<InstanceState> SimulatedCloud::StateOf(const std::string& provider_id) const {
  const Record* record = FindLive(provider_id);
  if (record == nullptr) return std::nullopt;
  return StateAt(*record, clock_.Now());
}

std::vector<Instance> SimulatedCloud::List() const {
  const core::Time now = clock_.Now();
  std::vector<Instance> instances;
  instances.reserve(instances_.size());
  for (const auto& [id, record] : instances_) {
    const InstanceState state = StateAt(record, now);
    if (state == InstanceState::kTerminated) continue;
    instances.push_back(record.instance);
    instances.back().state = state;
  }
  return instances;
}

std::optional<std::string> SimulatedCloud::IsDrifted(const api::NodeClaim& node_claim) const {
  const Record* record = nullptr;
  if (!node_claim.status.provider_id.empty()) {
    record = FindLive(node_claim.status.provider_id);
  } else if (auto it = by_node_claim_.find(node_claim.metadata.name); it != by_node_claim_.end()) {
    record = FindLive(it->second);
  }
  if (record == nullptr) return std::nullopt;
  if (record->instance.image_id != Image(node_claim.spec.node_class_ref.name)) return "AMIDrift";
  return std::nullopt;
}

std::vector<InterruptionWarning> SimulatedCloud::ReceiveInterruptions() {
  Tick();
  return std::exchange(interruptions_, {});
}

bool SimulatedCloud::MarkUnavailable(const catalog::OfferingKey& offering) {
  unavailable_.MarkUnavailable(offering, clock_.Now());
  return true;
}

// --- Fault injection and configuration ---

void SimulatedCloud::InjectInsufficientCapacity(std::string instance_type, std::string zone,
                                                catalog::CapacityType capacity_type) {
  insufficient_capacity_.insert({std::move(instance_type), std::move(zone), capacity_type});
}

void SimulatedCloud::ClearInsufficientCapacity(const std::string& instance_type,
                                               const std::string& zone,
                                               catalog::CapacityType capacity_type) {
  insufficient_capacity_.erase({instance_type, zone, capacity_type});
}

void SimulatedCloud::ClearAllInsufficientCapacity() { insufficient_capacity_.clear(); }

void SimulatedCloud::FailNextLaunches(int count, std::string message) {
  fail_launches_ = std::max(count, 0);
  fail_message_ = std::move(message);
}

void SimulatedCloud::NeverRegister(std::string node_claim_name) {
  if (auto it = by_node_claim_.find(node_claim_name); it != by_node_claim_.end()) {
    if (Record* record = FindLive(it->second)) record->registration_delay = std::nullopt;
  }
  ++revision_;
  never_register_claims_.insert(std::move(node_claim_name));
}

void SimulatedCloud::NeverRegisterNextLaunches(int count) {
  never_register_launches_ = std::max(count, 0);
}

std::optional<core::Duration> SimulatedCloud::RegistrationDelay(
    const std::string& provider_id) const {
  const Record* record = FindLive(provider_id);
  if (record == nullptr) return std::nullopt;
  return record->registration_delay;
}

void SimulatedCloud::SetImage(std::string node_class_name, std::string image_id) {
  images_[std::move(node_class_name)] = std::move(image_id);
}

std::string SimulatedCloud::Image(std::string_view node_class_name) const {
  auto it = images_.find(node_class_name);
  return it != images_.end() ? it->second : std::string(kDefaultImage);
}

CloudResult<InterruptionWarning> SimulatedCloud::Interrupt(const std::string& provider_id) {
  Tick();
  Record* record = FindLive(provider_id);
  if (record == nullptr) {
    return std::unexpected(MakeError(CloudErrorCode::kNotFound, "no instance " + provider_id));
  }
  const core::Time now = clock_.Now();
  InterruptionWarning warning{provider_id, now, now + kInterruptionNotice};
  ScheduleTermination(*record, warning.terminate_at);
  interruptions_.push_back(warning);
  ++revision_;
  return warning;
}

}  // namespace karpenter::cloud
