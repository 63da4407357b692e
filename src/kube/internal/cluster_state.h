// The cluster-wide half of the in-memory API server: the revision counter every write takes
// its resourceVersion from, uids, generated names, the one queue of watch events (so events are
// delivered in write order across kinds), the uid index and the owner graph that ownerReference
// garbage collection walks. The typed stores (memory_resource.h) do the per-kind half. Internal
// to kube/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/model/object_meta.h"
#include "core/clock.h"
#include "kube/cluster.h"

namespace karpenter::kube::internal {

inline constexpr std::string_view kForegroundDeletionFinalizer = "foregroundDeletion";

// What the cluster-wide bookkeeping needs from a typed store, without knowing its type.
class ResourceBase {
 public:
  explicit ResourceBase(int order) : order_(order) {}
  virtual ~ResourceBase() = default;

  virtual std::string_view Kind() const = 0;
  // The stored object's metadata, or nullptr when there is none.
  virtual const api::ObjectMeta* FindMeta(const ObjectKey& key) const = 0;
  // Deletes as Delete(key, {propagation}) does; an object already gone is no error here.
  virtual void DeleteForGc(const ObjectKey& key, DeleteOptions::Propagation propagation) = 0;
  // Removes every ownerReference to `owner_uid` (a write, as the garbage collector's patch).
  virtual void RemoveOwnerReference(const ObjectKey& key, const std::string& owner_uid) = 0;
  // Removes the foregroundDeletion finalizer; the object goes when it was the last one.
  virtual void FinishForegroundDeletion(const ObjectKey& key) = 0;
  // Hands the oldest queued event of this kind to the handlers with an id <= `last_watch`.
  virtual void DeliverOldest(WatchId last_watch) = 0;

  // Position among the cluster's kinds: orders the owner graph deterministically.
  int order() const { return order_; }

 private:
  int order_;
};

// One stored object of some kind.
struct ObjectRef {
  ResourceBase* resource = nullptr;
  ObjectKey key;

  friend bool operator<(const ObjectRef& a, const ObjectRef& b) {
    if (a.resource->order() != b.resource->order()) {
      return a.resource->order() < b.resource->order();
    }
    return a.key < b.key;
  }
};

class ClusterState {
 public:
  explicit ClusterState(const core::Clock& clock) : clock_(clock) {}

  // Now, in whole seconds since the epoch (the precision of metav1.Time).
  int64_t NowSeconds() const;

  // Revisions: one counter for every kind, as etcd's, rendered as decimal strings.
  std::string NextResourceVersion();
  int64_t LastResourceVersion() const { return revision_; }
  std::string NextUid();
  // `prefix` followed by five characters from the API server's alphabet, deterministic.
  std::string GenerateName(const std::string& prefix);

  // Watch ids come from one counter, so "registered before this write" is `id <= LastWatchId()`.
  WatchId NextWatchId() { return ++watch_counter_; }
  WatchId LastWatchId() const { return watch_counter_; }
  // Records that `resource` queued one event, for handlers registered up to `last_watch`.
  void QueueEvent(ResourceBase* resource, WatchId last_watch);
  // Delivers queued events in write order until none is left or `limit` were delivered.
  size_t Deliver(size_t limit);
  size_t PendingEvents() const { return queue_.size(); }

  // uid -> object, for owner lookups across kinds.
  void IndexUid(const std::string& uid, ObjectRef ref);
  void UnindexUid(const std::string& uid);
  const ObjectRef* FindUid(const std::string& uid) const;

  // Records that `dependent` now names `after` as owners instead of `before`. Owners it no
  // longer names and that wait for their dependents (foreground deletion) may then go.
  void UpdateOwners(const ObjectRef& dependent, const std::vector<api::OwnerReference>& before,
                    const std::vector<api::OwnerReference>& after);
  // Whether a live object owns anything (dependents in another namespace than a namespaced
  // owner do not count: Kubernetes treats such references as invalid).
  bool HasDependents(const std::string& owner_uid) const;
  // Orphan propagation: strips the ownerReference from every dependent.
  void OrphanDependents(const std::string& owner_uid);
  // Foreground propagation: deletes every dependent in the foreground.
  void DeleteDependentsInForeground(const std::string& owner_uid);
  // After an owner left the store: deletes its dependents (background), or only drops the
  // reference from those that still have another owner in the store.
  void CollectDependents(const std::string& owner_uid, const std::string& owner_namespace);

 private:
  std::vector<ObjectRef> DependentsOf(const std::string& owner_uid,
                                      const std::string& owner_namespace) const;
  void FinishForegroundIfDone(const std::string& owner_uid);

  struct QueuedEvent {
    ResourceBase* resource;
    WatchId last_watch;
  };

  const core::Clock& clock_;
  int64_t revision_ = 0;
  uint64_t uid_counter_ = 0;
  uint64_t name_counter_ = 0;
  WatchId watch_counter_ = 0;
  std::deque<QueuedEvent> queue_;
  bool delivering_ = false;
  std::unordered_map<std::string, ObjectRef> uids_;
  std::unordered_map<std::string, std::set<ObjectRef>> dependents_;  // owner uid -> dependents
};

}  // namespace karpenter::kube::internal
