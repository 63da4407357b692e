#include "sim/objects.h"

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "api/codec/ec2_node_class_codec.h"
#include "api/codec/instance_type_codec.h"
#include "api/codec/namespace_codec.h"
#include "api/codec/node_claim_codec.h"
#include "api/codec/node_codec.h"
#include "api/codec/node_pool_codec.h"
#include "api/codec/pdb_codec.h"
#include "api/codec/persistent_volume_codec.h"
#include "api/codec/pod_codec.h"
#include "api/codec/priority_class_codec.h"
#include "api/codec/storage_class_codec.h"
#include "api/codec/workload_codec.h"
#include "api/kinds.h"
#include "api/schema_validation.h"
#include "api/validate.h"

namespace karpenter::sim {
namespace {

using Identity = std::tuple<std::string, std::string, std::string>;  // kind, namespace, name

constexpr std::string_view kDefaultNamespace = "default";

// Decodes objects into `objects`; the last definition of an identity replaces the first.
class Loader {
 public:
  Loader(Objects& objects, std::vector<api::Diagnostic>& diagnostics)
      : objects_(objects), diagnostics_(diagnostics) {}

  void Load(const api::Document& doc, const api::Json& object, const std::string& base) {
    const api::Kind kind = api::KindOf(object);
    api::FieldErrors errors;
    switch (kind) {
      case api::Kind::kNodePool: {
        api::Json defaulted = object;
        api::ApplyCrdDefaults(defaulted);
        Put(objects_.node_pools, api::codec::DecodeNodePool(defaulted, errors), errors, doc, base,
            object);
        return;
      }
      case api::Kind::kEC2NodeClass: {
        api::Json defaulted = object;
        api::ApplyCrdDefaults(defaulted);
        Put(objects_.node_classes, api::codec::DecodeEC2NodeClass(defaulted, errors), errors, doc,
            base, object);
        return;
      }
      case api::Kind::kNodeClaim: {
        api::Json defaulted = object;
        api::ApplyCrdDefaults(defaulted);
        Put(objects_.node_claims, api::codec::DecodeNodeClaim(defaulted, errors), errors, doc,
            base, object);
        return;
      }
      case api::Kind::kInstanceType:
        Put(objects_.instance_types, api::codec::DecodeInstanceType(object, errors), errors, doc,
            base, object);
        return;
      case api::Kind::kNode:
        Put(objects_.nodes, api::codec::DecodeNode(object, errors), errors, doc, base, object);
        return;
      case api::Kind::kNamespace:
        Put(objects_.namespaces, api::codec::DecodeNamespace(object, errors), errors, doc, base,
            object);
        return;
      case api::Kind::kPersistentVolume:
        Put(objects_.persistent_volumes, api::codec::DecodePersistentVolume(object, errors),
            errors, doc, base, object);
        return;
      case api::Kind::kPriorityClass:
        Put(objects_.priority_classes, api::codec::DecodePriorityClass(object, errors), errors,
            doc, base, object);
        return;
      case api::Kind::kStorageClass:
        Put(objects_.storage_classes, api::codec::DecodeStorageClass(object, errors), errors, doc,
            base, object);
        return;
      default:
        LoadNamespaced(kind, doc, object, base);
        return;
    }
  }

  void Skip(const api::Document& doc, const api::Json& object, const std::string& base,
            std::string message) {
    api::Diagnostic d;
    d.severity = api::Severity::kWarning;
    d.file = doc.file;
    const api::SourcePosition position = doc.PositionOf(base);
    d.line = position.line;
    d.column = position.column;
    d.object = api::DescribeObject(object);
    d.message = std::move(message);
    diagnostics_.push_back(std::move(d));
  }

 private:
  void LoadNamespaced(api::Kind kind, const api::Document& doc, const api::Json& object,
                      const std::string& base) {
    api::FieldErrors errors;
    switch (kind) {
      case api::Kind::kPod:
        Put(objects_.pods, api::codec::DecodePod(object, errors), errors, doc, base, object);
        return;
      case api::Kind::kDeployment:
        Put(objects_.deployments, api::codec::DecodeDeployment(object, errors), errors, doc, base,
            object);
        return;
      case api::Kind::kReplicaSet:
        Put(objects_.replica_sets, api::codec::DecodeReplicaSet(object, errors), errors, doc,
            base, object);
        return;
      case api::Kind::kStatefulSet:
        Put(objects_.stateful_sets, api::codec::DecodeStatefulSet(object, errors), errors, doc,
            base, object);
        return;
      case api::Kind::kDaemonSet:
        Put(objects_.daemon_sets, api::codec::DecodeDaemonSet(object, errors), errors, doc, base,
            object);
        return;
      case api::Kind::kPodDisruptionBudget:
        Put(objects_.pod_disruption_budgets, api::codec::DecodePodDisruptionBudget(object, errors),
            errors, doc, base, object);
        return;
      case api::Kind::kPersistentVolumeClaim:
        Put(objects_.persistent_volume_claims,
            api::codec::DecodePersistentVolumeClaim(object, errors), errors, doc, base, object);
        return;
      default:
        if (api::IsLegacyKarpenterKind(kind)) {
          Skip(doc, object, base,
               "left out of the simulation: run `karpenter convert` and simulate the v1 objects");
        } else {
          Skip(doc, object, base, "left out of the simulation: not a kind it reads");
        }
        return;
    }
  }

  template <typename T>
  void Put(std::vector<T>& list, T value, const api::FieldErrors& errors,
           const api::Document& doc, const std::string& base, const api::Json& object) {
    if (!errors.empty()) {
      // Validation passed, so this is a decoder/validator disagreement: say so, do not guess.
      Skip(doc, object, base, "left out of the simulation: " + errors.front().message);
      return;
    }
    if (value.metadata.namespace_.empty() && IsNamespaced<T>()) {
      value.metadata.namespace_ = std::string(kDefaultNamespace);
    }
    Identity id{api::StringMember(object, "kind"), value.metadata.namespace_,
                value.metadata.name};
    auto [it, inserted] = index_.emplace(std::move(id), list.size());
    if (inserted) {
      list.push_back(std::move(value));
    } else {
      list[it->second] = std::move(value);
    }
  }

  template <typename T>
  static constexpr bool IsNamespaced() {
    return std::is_same_v<T, api::Pod> || std::is_same_v<T, api::Deployment> ||
           std::is_same_v<T, api::ReplicaSet> || std::is_same_v<T, api::StatefulSet> ||
           std::is_same_v<T, api::DaemonSet> || std::is_same_v<T, api::PodDisruptionBudget> ||
           std::is_same_v<T, api::PersistentVolumeClaim>;
  }

  Objects& objects_;
  std::vector<api::Diagnostic>& diagnostics_;
  std::map<Identity, std::size_t> index_;
};

bool IsList(const api::Json& object) {
  return api::StringMember(object, "apiVersion") == "v1" &&
         api::StringMember(object, "kind") == "List";
}

}  // namespace

LoadedObjects LoadObjects(const std::vector<api::Document>& documents) {
  LoadedObjects loaded;
  loaded.diagnostics = api::ValidateDocuments(documents);
  // Objects with a validation error are not safe to simulate; everything else is.
  std::set<std::pair<std::string, std::string>> invalid;  // file, object
  for (const api::Diagnostic& d : loaded.diagnostics) {
    if (d.severity == api::Severity::kError) invalid.emplace(d.file, d.object);
  }
  Loader loader(loaded.objects, loaded.diagnostics);
  auto load = [&](const api::Document& doc, const api::Json& object, const std::string& base) {
    if (!object.is_object()) return;  // already an error of its own
    if (invalid.contains({doc.file, api::DescribeObject(object)})) {
      loader.Skip(doc, object, base, "left out of the simulation because of the errors above");
      return;
    }
    loader.Load(doc, object, base);
  };
  for (const api::Document& doc : documents) {
    if (!IsList(doc.value)) {
      load(doc, doc.value, "");
      continue;
    }
    const api::Json& items = doc.value.contains("items") ? doc.value["items"] : api::Json::array();
    for (std::size_t i = 0; items.is_array() && i < items.size(); ++i) {
      load(doc, items[i], "/items/" + std::to_string(i));
    }
  }
  return loaded;
}

}  // namespace karpenter::sim
