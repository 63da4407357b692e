// NodePool readiness and catalogs: which NodePools can launch, and from which instance types.
#include <optional>
#include <utility>
#include <vector>

#include "catalog/custom_catalog.h"
#include "catalog/node_class_settings.h"
#include "sim/internal/snapshot_parts.h"

namespace karpenter::sim::internal {
namespace {

constexpr std::string_view kAwsGroup = "karpenter.k8s.aws";
constexpr std::string_view kEC2NodeClassKind = "EC2NodeClass";

const api::EC2NodeClass* FindNodeClass(const Objects& objects, const std::string& name) {
  for (const api::EC2NodeClass& node_class : objects.node_classes) {
    if (node_class.metadata.name == name) return &node_class;
  }
  return nullptr;
}

bool IsEC2NodeClassRef(const api::NodeClassReference& ref) {
  return ref.kind == kEC2NodeClassKind && (ref.group.empty() || ref.group == kAwsGroup);
}

// AWS catalogs by node settings: NodeClasses with equal settings share one.
class AwsCatalogs {
 public:
  AwsCatalogs(Snapshot& snapshot, const SnapshotOptions& options)
      : snapshot_(snapshot), options_(options) {}

  Result<const catalog::Catalog*> For(const catalog::NodeSettings& node) {
    for (const auto& [settings, loaded] : loaded_) {
      if (settings == node) return loaded;
    }
    catalog::AwsCatalogSettings settings{node, options_.pricing};
    auto loaded = catalog::LoadAwsCatalog(options_.region, settings);
    if (!loaded) return std::unexpected(loaded.error());
    snapshot_.catalogs.push_back(std::move(*loaded));
    loaded_.emplace_back(node, &snapshot_.catalogs.back());
    return &snapshot_.catalogs.back();
  }

 private:
  Snapshot& snapshot_;
  const SnapshotOptions& options_;
  std::vector<std::pair<catalog::NodeSettings, const catalog::Catalog*>> loaded_;
};

}  // namespace

api::Diagnostic ObjectDiagnostic(api::Severity severity, std::string object, std::string message) {
  api::Diagnostic d;
  d.severity = severity;
  d.object = std::move(object);
  d.message = std::move(message);
  return d;
}

Result<void> ResolveNodePools(Snapshot& snapshot, const SnapshotOptions& options) {
  const Objects& objects = snapshot.objects;
  const catalog::Catalog* custom = nullptr;
  if (!objects.instance_types.empty()) {
    auto built = catalog::CatalogFromDocuments(objects.instance_types);
    if (!built) return std::unexpected(built.error());
    snapshot.catalogs.push_back(std::move(*built));
    custom = &snapshot.catalogs.back();
    snapshot.custom_catalog = true;
  }
  AwsCatalogs aws(snapshot, options);
  for (const api::NodePool& pool : objects.node_pools) {
    const std::string object = "NodePool/" + pool.metadata.name;
    const api::NodeClassReference& ref = pool.spec.template_.spec.node_class_ref;
    const api::EC2NodeClass* node_class =
        IsEC2NodeClassRef(ref) ? FindNodeClass(objects, ref.name) : nullptr;
    if (node_class == nullptr && !(custom != nullptr && !IsEC2NodeClassRef(ref))) {
      snapshot.diagnostics.push_back(ObjectDiagnostic(
          api::Severity::kWarning, object,
          "not simulated: its nodeClassRef " + ref.group + "/" + ref.kind + " \"" + ref.name +
              "\" is not in the input, so the NodePool would not be Ready"));
      continue;
    }
    const catalog::Catalog* pool_catalog = custom;
    if (pool_catalog == nullptr) {
      auto settings = catalog::NodeSettingsFromNodeClass(*node_class);
      if (!settings) {
        snapshot.diagnostics.push_back(ObjectDiagnostic(
            api::Severity::kError, object, "not simulated: " + settings.error().message));
        continue;
      }
      auto loaded = aws.For(*settings);
      if (!loaded) return std::unexpected(loaded.error());
      pool_catalog = *loaded;
    }
    snapshot.node_pools.push_back({&pool, pool_catalog, {}});
  }
  return {};
}

const catalog::InstanceType* FindInstanceType(const Snapshot& snapshot, std::string_view node_pool,
                                              std::string_view name) {
  if (name.empty()) return nullptr;
  for (const scheduling::NodePoolOption& option : snapshot.node_pools) {
    if (option.node_pool->metadata.name == node_pool) {
      if (const catalog::InstanceType* type = option.catalog->Find(name)) return type;
    }
  }
  for (const catalog::Catalog& catalog : snapshot.catalogs) {
    if (const catalog::InstanceType* type = catalog.Find(name)) return type;
  }
  return nullptr;
}

}  // namespace karpenter::sim::internal
