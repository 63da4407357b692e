// ClusterPort: the Kubernetes API as controllers see it. Typed resources with the API
// server's semantics: resourceVersion and optimistic concurrency, generation, status as a
// separate write, finalizers and deletionTimestamp, ownerReference garbage collection,
// ordered watches, and the Eviction and Binding subresources. Implemented in memory
// (kube/memory_cluster.h) for simulations and tests; an HTTP client for a real API server
// implements the same interface later.
//
// Objects are handed out as shared pointers to immutable versions: reading 30,000 pods copies
// no pod. To change an object, copy it, change the copy and write it back.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/model/ec2_node_class.h"
#include "api/model/namespace.h"
#include "api/model/node.h"
#include "api/model/node_claim.h"
#include "api/model/node_pool.h"
#include "api/model/pod.h"
#include "api/model/pod_disruption_budget.h"
#include "api/model/priority_class.h"
#include "api/model/workloads.h"
#include "core/label_selector.h"
#include "kube/api_error.h"

namespace karpenter::kube {

template <class T>
using ObjectPtr = std::shared_ptr<const T>;

// Namespace ("" for cluster-scoped kinds) and name.
struct ObjectKey {
  std::string namespace_;
  std::string name;

  friend auto operator<=>(const ObjectKey&, const ObjectKey&) = default;
  friend bool operator==(const ObjectKey&, const ObjectKey&) = default;
};

struct ListOptions {
  std::optional<std::string> namespace_;        // nullopt: every namespace
  std::optional<core::LabelSelector> selector;  // nullopt: every object
};

struct DeleteOptions {
  // Deletion waits for dependents (foreground) or not (background, the default); orphan
  // leaves them. Background and foreground both end with the dependents deleted.
  enum class Propagation { kBackground, kForeground, kOrphan };
  Propagation propagation = Propagation::kBackground;
  // When set, the delete fails with kConflict unless the object is at this version.
  std::optional<std::string> resource_version;
};

enum class EventType { kAdded, kModified, kDeleted };

template <class T>
struct WatchEvent {
  EventType type = EventType::kAdded;
  ObjectPtr<T> object;  // for kDeleted: the last version
};

using WatchId = uint64_t;

// One kind of object. Every write returns the stored version (with its new resourceVersion).
template <class T>
class Resource {
 public:
  using Handler = std::function<void(const WatchEvent<T>&)>;

  virtual ~Resource() = default;

  virtual ApiResult<ObjectPtr<T>> Get(const ObjectKey& key) const = 0;
  // Sorted by namespace, then name.
  virtual std::vector<ObjectPtr<T>> List(const ListOptions& options = {}) const = 0;
  // Visits what List() returns, in its order, without copying the list: for readers of every
  // object of a large cluster. `visit` may write; it still sees the objects as they were when
  // the walk began, as with List.
  virtual void ForEach(const std::function<void(const ObjectPtr<T>&)>& visit) const {
    for (const ObjectPtr<T>& object : List()) visit(object);
  }

  // Fails kAlreadyExists for a taken name, kInvalid without a name (generateName is honoured).
  // Sets uid, resourceVersion, generation 1 and creationTimestamp.
  virtual ApiResult<ObjectPtr<T>> Create(T object) = 0;
  // Replaces everything but status. kConflict when object.metadata.resourceVersion is not the
  // stored one (an empty one is not accepted either). generation grows when the spec changed.
  // Removing the last finalizer of an object being deleted completes its deletion.
  virtual ApiResult<ObjectPtr<T>> Update(T object) = 0;
  // Replaces only the status (same concurrency rule); generation does not change.
  virtual ApiResult<ObjectPtr<T>> UpdateStatus(T object) = 0;
  // Applies `mutate` to the latest version and stores it, with no conflict check: what a merge
  // patch without resourceVersion does. Status and spec may both change.
  virtual ApiResult<ObjectPtr<T>> Patch(const ObjectKey& key,
                                        const std::function<void(T&)>& mutate) = 0;
  // Without finalizers the object goes at once; with finalizers it gets deletionTimestamp
  // and stays until the last finalizer is removed. Deleting an object already being deleted
  // changes nothing. Dependents (ownerReferences) are then deleted as `options` says.
  virtual ApiResult<void> Delete(const ObjectKey& key, const DeleteOptions& options = {}) = 0;

  // Every change after this call, in order. The in-memory cluster queues events and delivers
  // them when its Deliver() runs; an HTTP implementation from its watch stream.
  virtual WatchId Watch(Handler handler) = 0;
  virtual void Unwatch(WatchId id) = 0;
};

class ClusterPort {
 public:
  virtual ~ClusterPort() = default;

  virtual Resource<api::Pod>& Pods() = 0;
  virtual Resource<api::Node>& Nodes() = 0;
  virtual Resource<api::NodeClaim>& NodeClaims() = 0;
  virtual Resource<api::NodePool>& NodePools() = 0;
  virtual Resource<api::EC2NodeClass>& NodeClasses() = 0;
  virtual Resource<api::PodDisruptionBudget>& PodDisruptionBudgets() = 0;
  virtual Resource<api::Deployment>& Deployments() = 0;
  virtual Resource<api::ReplicaSet>& ReplicaSets() = 0;
  virtual Resource<api::StatefulSet>& StatefulSets() = 0;
  virtual Resource<api::DaemonSet>& DaemonSets() = 0;
  virtual Resource<api::Namespace>& Namespaces() = 0;
  virtual Resource<api::PriorityClass>& PriorityClasses() = 0;

  // The Eviction subresource: deletes the pod when every PodDisruptionBudget selecting it
  // allows one more disruption (counting its healthy pods now), else kTooManyRequests naming
  // the budget. kNotFound for a pod that is gone.
  virtual ApiResult<void> Evict(const ObjectKey& pod) = 0;
  // The Binding subresource: sets spec.nodeName of a pending pod. kConflict when it is bound.
  virtual ApiResult<ObjectPtr<api::Pod>> Bind(const ObjectKey& pod, const std::string& node) = 0;
};

}  // namespace karpenter::kube
