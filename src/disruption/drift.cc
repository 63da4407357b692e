#include "disruption/drift.h"

#include <algorithm>
#include <set>

#include "catalog/labels.h"
#include "core/requirements.h"
#include "disruption/nodepool_hash.h"

namespace karpenter::disruption {
namespace {

const core::Labels& ClaimLabels(const SnapshotNode& node) {
  if (node.node_claim && !node.node_claim->metadata.labels.empty()) {
    return node.node_claim->metadata.labels;
  }
  return node.Labels();
}

std::string LabelOr(const core::Labels& labels, std::string_view key) {
  auto it = labels.find(std::string(key));
  return it == labels.end() ? std::string() : it->second;
}

std::optional<Drift> RequirementsDrift(const api::NodePool& node_pool, const core::Labels& labels) {
  Result<core::Requirements> wanted =
      core::Requirements::FromNodeSelectorRequirements(node_pool.spec.template_.spec.requirements);
  if (!wanted) return std::nullopt;  // an invalid NodePool is validation's business
  // Compatible reads only the keys the NodePool names: the node's other labels (dozens) are
  // turned into requirements only for the message of a node that did drift.
  core::Labels named;
  for (const auto& [key, requirement] : *wanted) {
    if (auto label = labels.find(key); label != labels.end()) named.insert(*label);
  }
  if (core::Requirements::FromNodeSelector(named).Compatible(*wanted)) return std::nullopt;
  Result<void> compatible = core::Requirements::FromNodeSelector(labels).Compatible(*wanted);
  if (compatible) return std::nullopt;
  return Drift{DriftReason::kRequirementsDrifted,
               "labels no longer satisfy NodePool \"" + node_pool.metadata.name +
                   "\" requirements: " + compatible.error().message};
}

// The type must still exist and keep an offering (available or not, as upstream lists them)
// in the node's zone and capacity type.
std::optional<Drift> InstanceTypeDrift(const Snapshot& snapshot, const core::Labels& labels) {
  if (!snapshot.catalog) return std::nullopt;
  const std::string name = LabelOr(labels, catalog::kLabelInstanceType);
  const catalog::InstanceType* type = snapshot.catalog->Find(name);
  if (type == nullptr) {
    return Drift{DriftReason::kInstanceTypeNotFound,
                 "instance type \"" + name + "\" is not in the catalog"};
  }
  const std::string zone = LabelOr(labels, catalog::kLabelZone);
  const std::string capacity_type = LabelOr(labels, catalog::kLabelCapacityType);
  for (const catalog::Offering& offering : type->offerings()) {
    if ((zone.empty() || offering.zone == zone) &&
        (capacity_type.empty() || catalog::ToString(offering.capacity_type) == capacity_type)) {
      return std::nullopt;
    }
  }
  return Drift{DriftReason::kInstanceTypeNotFound, "instance type \"" + name +
                                                       "\" has no offering in zone \"" + zone +
                                                       "\" as " + capacity_type};
}

std::optional<Drift> AmiDrift(const Snapshot& snapshot, const api::NodeClaim& claim,
                              const api::EC2NodeClass& node_class, const core::Labels& labels) {
  if (claim.status.image_id.empty() || node_class.status.amis.empty()) return std::nullopt;
  const catalog::InstanceType* type =
      snapshot.catalog ? snapshot.catalog->Find(LabelOr(labels, catalog::kLabelInstanceType))
                       : nullptr;
  for (const api::AMI& ami : node_class.status.amis) {
    if (ami.id != claim.status.image_id) continue;
    if (type == nullptr) return std::nullopt;
    // As upstream's MapToInstanceTypes: the AMI must suit the node's instance type.
    Result<core::Requirements> wanted =
        core::Requirements::FromNodeSelectorRequirements(ami.requirements);
    if (!wanted || type->RequirementsFor(*wanted).Intersects(*wanted)) return std::nullopt;
  }
  return Drift{DriftReason::kAMIDrift, "AMI \"" + claim.status.image_id +
                                           "\" is not among EC2NodeClass \"" +
                                           node_class.metadata.name + "\" AMIs for the type"};
}

std::optional<Drift> NetworkDrift(const InstanceNetwork& instance,
                                  const api::EC2NodeClass& node_class) {
  const std::string& name = node_class.metadata.name;
  if (instance.subnet_id && !node_class.status.subnets.empty()) {
    const bool found =
        std::any_of(node_class.status.subnets.begin(), node_class.status.subnets.end(),
                    [&](const api::Subnet& subnet) { return subnet.id == *instance.subnet_id; });
    if (!found) {
      return Drift{DriftReason::kSubnetDrift, "subnet \"" + *instance.subnet_id +
                                                  "\" is not among EC2NodeClass \"" + name +
                                                  "\" subnets"};
    }
  }
  if (instance.security_group_ids && !node_class.status.security_groups.empty()) {
    std::set<std::string> wanted;
    for (const api::SecurityGroup& group : node_class.status.security_groups)
      wanted.insert(group.id);
    const std::set<std::string> have(instance.security_group_ids->begin(),
                                     instance.security_group_ids->end());
    if (have != wanted) {
      return Drift{DriftReason::kSecurityGroupDrift,
                   "security groups differ from EC2NodeClass \"" + name + "\" security groups"};
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view ToString(DriftReason reason) {
  switch (reason) {
    case DriftReason::kNodePoolDrifted:
      return "NodePoolDrifted";
    case DriftReason::kRequirementsDrifted:
      return "RequirementsDrifted";
    case DriftReason::kInstanceTypeNotFound:
      return "InstanceTypeNotFound";
    case DriftReason::kAMIDrift:
      return "AMIDrift";
    case DriftReason::kSubnetDrift:
      return "SubnetDrift";
    case DriftReason::kSecurityGroupDrift:
      return "SecurityGroupDrift";
  }
  return "";
}

std::optional<Drift> DetectDrift(const Snapshot& snapshot, const SnapshotNode& node,
                                 const api::NodePool& node_pool) {
  if (!node.node_claim) return std::nullopt;
  const api::NodeClaim& claim = *node.node_claim;
  switch (CheckStaticDrift(node_pool, claim)) {
    case StaticDrift::kDrifted:
      return Drift{DriftReason::kNodePoolDrifted,
                   "NodePool \"" + node_pool.metadata.name + "\" template changed"};
    case StaticDrift::kDriftedBeforeVersionChange:
      return Drift{DriftReason::kNodePoolDrifted,
                   "drifted before the NodePool hash version changed"};
    case StaticDrift::kNone:
      break;
  }
  const core::Labels& labels = ClaimLabels(node);
  if (auto drift = RequirementsDrift(node_pool, labels)) return drift;
  if (auto drift = InstanceTypeDrift(snapshot, labels)) return drift;
  const api::EC2NodeClass* node_class = snapshot.FindNodeClass(claim.spec.node_class_ref.name);
  if (node_class == nullptr) return std::nullopt;
  if (auto drift = AmiDrift(snapshot, claim, *node_class, labels)) return drift;
  return NetworkDrift(node.instance, *node_class);
}

std::vector<DriftedCandidate> FindDrifted(const Snapshot& snapshot,
                                          const std::vector<Candidate>& candidates) {
  std::vector<DriftedCandidate> drifted;
  for (const Candidate& candidate : candidates) {
    std::optional<Drift> drift = DetectDrift(snapshot, *candidate.node, *candidate.node_pool);
    if (!drift) continue;
    Time since = snapshot.now;
    const api::Condition* condition =
        api::FindCondition(candidate.node->node_claim->status.conditions, "Drifted");
    if (condition && condition->IsTrue() && condition->last_transition_time) {
      since = FromEpochSeconds(*condition->last_transition_time);
    }
    drifted.push_back({&candidate, *std::move(drift), since});
  }
  std::stable_sort(drifted.begin(), drifted.end(),
                   [](const DriftedCandidate& a, const DriftedCandidate& b) {
                     const bool a_empty = a.candidate->reschedulable_pods.empty();
                     const bool b_empty = b.candidate->reschedulable_pods.empty();
                     if (a_empty != b_empty) return a_empty;
                     if (a.drifted_since != b.drifted_since)
                       return a.drifted_since < b.drifted_since;
                     return a.candidate->Name() < b.candidate->Name();
                   });
  return drifted;
}

DriftDecision ComputeDrift(const std::vector<DriftedCandidate>& drifted, BudgetMapping budgets) {
  DriftDecision decision;
  Command command{Method::kDrift, "Drifted", {}, {}, std::nullopt};
  for (const DriftedCandidate& entry : drifted) {
    const std::string& pool = entry.candidate->node_pool->metadata.name;
    auto it = budgets.find(pool);
    if (it == budgets.end() || it->second.allowed <= 0) {
      decision.blocked.push_back(
          {entry.candidate->Name(), it == budgets.end()
                                        ? "no budget computed for NodePool \"" + pool + "\""
                                        : BudgetExhaustedReason(it->second)});
      continue;
    }
    if (!entry.candidate->reschedulable_pods.empty()) {
      decision.to_replace.push_back(entry);
      continue;
    }
    --it->second.allowed;
    command.candidates.push_back(entry.candidate->Name());
  }
  if (!command.candidates.empty()) decision.command = std::move(command);
  return decision;
}

}  // namespace karpenter::disruption
