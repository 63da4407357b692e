#include "controllers/disruption_input.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "disruption/pod_rules.h"

namespace karpenter::controllers {
namespace {

template <class T>
std::vector<T> Copies(const std::vector<kube::ObjectPtr<T>>& objects) {
  std::vector<T> copies;
  copies.reserve(objects.size());
  for (const auto& object : objects) copies.push_back(*object);
  return copies;
}

// Upstream's consolidation simulations schedule the pending pods, and the pods of nodes being
// deleted, along with the candidates' pods, and never disrupt a node the provisioner nominated
// for them. Here those pods go first, as the provisioner would place them: the room they take
// on existing or in-flight capacity is taken in the view, and the nodes that receive them are
// returned as nominated.
std::vector<std::string> ReserveForPendingPods(scheduling::SchedulingInput& input) {
  const size_t pending = input.pending.size();
  for (const scheduling::ExistingNode& node : input.existing_nodes) {
    if (!node.marked_for_deletion) continue;
    for (const api::Pod* pod : node.pods) {
      if (disruption::IsReschedulable(*pod)) input.pending.push_back(pod);
    }
  }
  std::vector<std::string> nominated;
  if (input.pending.empty()) return nominated;
  const scheduling::SchedulingResult result = scheduling::Schedule(input);
  input.pending.resize(pending);
  std::map<std::string, size_t, std::less<>> index;
  for (size_t i = 0; i < input.existing_nodes.size(); ++i) {
    index.emplace(input.existing_nodes[i].name, i);
  }
  for (const scheduling::ExistingNodePlacement& placement : result.existing_node_placements) {
    auto it = index.find(placement.node_name);
    if (it == index.end() || placement.pods.empty()) continue;
    std::vector<const api::Pod*>& pods = input.existing_nodes[it->second].pods;
    pods.insert(pods.end(), placement.pods.begin(), placement.pods.end());
    nominated.push_back(placement.node_name);
  }
  return nominated;
}

disruption::ClusterObjects SnapshotObjects(const DisruptionInput& input,
                                           std::vector<std::string> nominated) {
  disruption::ClusterObjects objects;
  objects.nodes = input.objects.nodes;
  objects.node_claims = input.objects.node_claims;
  // Pending pods are left out of a snapshot anyway.
  for (const auto& pod : input.objects.pods) {
    if (!pod->spec.node_name.empty()) objects.pods.push_back(pod);
  }
  objects.pdbs = Copies(input.pdbs);
  objects.node_pools = Copies(input.objects.node_pools);
  objects.node_classes = Copies(input.node_classes);
  objects.nominated_nodes = std::move(nominated);
  objects.catalog = MergeCatalogs(input.provisioning.catalogs);
  return objects;
}

}  // namespace

const api::NodePool* DisruptionInput::OfferedNodePool(std::string_view name) const {
  for (const scheduling::NodePoolOption& option : view.node_pools) {
    if (option.node_pool->metadata.name == name) return option.node_pool;
  }
  return nullptr;
}

std::shared_ptr<const catalog::Catalog> MergeCatalogs(
    const std::vector<std::shared_ptr<const catalog::Catalog>>& catalogs) {
  std::vector<std::shared_ptr<const catalog::Catalog>> distinct;
  for (const auto& catalog : catalogs) {
    if (catalog && std::ranges::find(distinct, catalog) == distinct.end()) {
      distinct.push_back(catalog);
    }
  }
  if (distinct.empty()) return nullptr;
  if (distinct.size() == 1) return distinct.front();
  std::set<std::string, std::less<>> names;
  std::vector<catalog::InstanceType> types;
  for (const auto& catalog : distinct) {
    for (const catalog::InstanceType& type : catalog->types()) {
      if (names.insert(type.name()).second) types.push_back(type);
    }
  }
  auto merged = catalog::Catalog::Create(std::move(types), distinct.front()->region());
  if (!merged) return distinct.front();  // names are unique by construction
  return std::make_shared<const catalog::Catalog>(std::move(*merged));
}

std::unique_ptr<DisruptionInput> BuildDisruptionInput(
    kube::ClusterPort& cluster, const cloud::CloudProvider& cloud,
    const catalog::UnavailableOfferings* unavailable, core::Time now,
    scheduling::NodeRequirementsCache* requirements) {
  auto input = std::make_unique<DisruptionInput>();
  input->objects = ListClusterObjects(cluster);
  input->pdbs = cluster.PodDisruptionBudgets().List();
  input->node_classes = cluster.NodeClasses().List();
  input->provisioning =
      BuildProvisioningInput(input->objects, cloud, unavailable, now, requirements);
  std::vector<std::string> nominated = ReserveForPendingPods(input->provisioning.input);
  input->snapshot = disruption::BuildSnapshot(SnapshotObjects(*input, std::move(nominated)), now);

  scheduling::SchedulingInput& scheduler = input->provisioning.input;
  disruption::SchedulingView& view = input->view;
  view.existing_nodes = std::move(scheduler.existing_nodes);
  view.node_pools = scheduler.node_pools;
  view.daemon_sets = scheduler.daemon_sets;
  view.namespace_labels = scheduler.namespace_labels;
  return input;
}

}  // namespace karpenter::controllers
