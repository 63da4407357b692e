// MemoryResource<T>: one kind of the in-memory API server. Objects are immutable shared
// versions in a map sorted by (namespace, name), so Get is O(log n) and List(namespace) walks
// one contiguous range without copying an object. Cluster-wide concerns (revisions, uids, the
// watch queue, the owner graph) live in ClusterState. Internal to kube/; instantiated for the
// twelve kinds in memory_resource.cc.
#pragma once

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kube/cluster.h"
#include "kube/internal/cluster_state.h"
#include "kube/internal/meta_rules.h"
#include "kube/internal/object_traits.h"

namespace karpenter::kube::internal {

template <class T>
class MemoryResource final : public Resource<T>, public ResourceBase {
  using Traits = ObjectTraits<T>;

 public:
  using Handler = typename Resource<T>::Handler;
  // A mutating admission step run on every Create before the object is stored (the API
  // server's admission plugins); an error refuses the create.
  using Admission = std::function<std::optional<ApiError>(T&)>;

  MemoryResource(ClusterState& state, int order) : ResourceBase(order), state_(state) {}

  void SetAdmission(Admission admission) { admission_ = std::move(admission); }

  ApiResult<ObjectPtr<T>> Get(const ObjectKey& key) const override {
    ObjectPtr<T> found = Find(key);
    if (!found) return std::unexpected(NotFoundError(Traits::kKind, key));
    return found;
  }

  std::vector<ObjectPtr<T>> List(const ListOptions& options) const override {
    if (!options.namespace_ && !options.selector) return *Everything();
    std::vector<ObjectPtr<T>> out;
    auto visit = [&](const ObjectPtr<T>& object) {
      if (!options.selector || options.selector->Matches(object->metadata.labels)) {
        out.push_back(object);
      }
    };
    if (options.namespace_) {
      ForEachInNamespace(*options.namespace_, visit);
    } else {
      for (const auto& [key, object] : objects_) visit(object);
    }
    return out;
  }

  void ForEach(const std::function<void(const ObjectPtr<T>&)>& visit) const override {
    const std::shared_ptr<const std::vector<ObjectPtr<T>>> everything = Everything();
    for (const ObjectPtr<T>& object : *everything) visit(object);
  }

  ApiResult<ObjectPtr<T>> Create(T object) override;
  ApiResult<ObjectPtr<T>> Update(T object) override {
    const ObjectKey key = KeyOf(object.metadata);
    ObjectPtr<T> stored = Find(key);
    if (!stored) return std::unexpected(NotFoundError(Traits::kKind, key));
    if (auto error =
            CheckWritePreconditions(Traits::kKind, key, stored->metadata, object.metadata)) {
      return std::unexpected(std::move(*error));
    }
    Traits::CopyStatus(*stored, object);  // Update never writes the status
    return Replace(std::move(stored), std::move(object));
  }
  ApiResult<ObjectPtr<T>> UpdateStatus(T object) override;
  ApiResult<ObjectPtr<T>> Patch(const ObjectKey& key,
                                const std::function<void(T&)>& mutate) override {
    ObjectPtr<T> stored = Find(key);
    if (!stored) return std::unexpected(NotFoundError(Traits::kKind, key));
    T next = *stored;
    mutate(next);
    return Replace(std::move(stored), std::move(next));
  }
  ApiResult<void> Delete(const ObjectKey& key, const DeleteOptions& options) override;

  WatchId Watch(Handler handler) override {
    const WatchId id = state_.NextWatchId();
    handlers_.emplace(id, std::make_shared<const Handler>(std::move(handler)));
    return id;
  }
  void Unwatch(WatchId id) override { handlers_.erase(id); }

  // ResourceBase: what the owner graph and the watch queue call.
  std::string_view Kind() const override { return Traits::kKind; }
  const api::ObjectMeta* FindMeta(const ObjectKey& key) const override {
    auto it = objects_.find(key);
    return it == objects_.end() ? nullptr : &it->second->metadata;
  }
  void DeleteForGc(const ObjectKey& key, DeleteOptions::Propagation propagation) override {
    DeleteOptions options;
    options.propagation = propagation;
    (void)Delete(key, options);
  }
  void RemoveOwnerReference(const ObjectKey& key, const std::string& owner_uid) override {
    (void)Patch(key, [&](T& object) {
      std::erase_if(object.metadata.owner_references,
                    [&](const api::OwnerReference& owner) { return owner.uid == owner_uid; });
    });
  }
  void FinishForegroundDeletion(const ObjectKey& key) override {
    (void)Patch(key, [](T& object) {
      std::erase(object.metadata.finalizers, std::string(kForegroundDeletionFinalizer));
    });
  }
  void DeliverOldest(WatchId last_watch) override;

  // The stored version, or null. For the cluster's own subresources (Evict, Bind).
  ObjectPtr<T> Find(const ObjectKey& key) const {
    auto it = objects_.find(key);
    return it == objects_.end() ? nullptr : it->second;
  }
  // Calls `visit(const ObjectPtr<T>&)` for each object of `ns` in name order. `visit` must not
  // write to this kind.
  template <class Visit>
  void ForEachInNamespace(const std::string& ns, Visit&& visit) const {
    for (auto it = objects_.lower_bound(ObjectKey{ns, ""});
         it != objects_.end() && it->first.namespace_ == ns; ++it) {
      visit(it->second);
    }
  }

 private:
  ObjectKey KeyOf(const api::ObjectMeta& meta) const {
    return ObjectKey{Traits::kNamespaced ? meta.namespace_ : std::string(), meta.name};
  }
  // Applies the API server's update rules to `next` and stores it unless nothing changed.
  ApiResult<ObjectPtr<T>> Replace(ObjectPtr<T> stored, T next);
  // Stores `next` as a new revision of `previous` (no rules checked) and emits MODIFIED.
  ObjectPtr<T> Commit(const ObjectPtr<T>& previous, T next);
  // Takes the object out of the store, emits DELETED and collects its dependents.
  void Remove(const ObjectKey& key);
  void Emit(EventType type, ObjectPtr<T> object);
  // Every object in key order, as one contiguous list built on the first look after a write
  // (every write drops it). The simulation's stand-ins look at all 30,000 pods of a large
  // cluster many times between writes; walking the tree each time was a tenth of a replay.
  // Shared, so a walk keeps its list while the visitor writes.
  std::shared_ptr<const std::vector<ObjectPtr<T>>> Everything() const {
    if (!everything_) {
      auto list = std::make_shared<std::vector<ObjectPtr<T>>>();
      list->reserve(objects_.size());
      for (const auto& [key, object] : objects_) list->push_back(object);
      everything_ = std::move(list);
    }
    return everything_;
  }

  ClusterState& state_;
  std::map<ObjectKey, ObjectPtr<T>> objects_;
  mutable std::shared_ptr<const std::vector<ObjectPtr<T>>> everything_;
  std::deque<WatchEvent<T>> pending_;  // in ClusterState's queue order
  // Shared so a handler may unwatch itself while it runs.
  std::map<WatchId, std::shared_ptr<const Handler>> handlers_;
  Admission admission_;
};

template <class T>
ApiResult<ObjectPtr<T>> MemoryResource<T>::Create(T object) {
  api::ObjectMeta& meta = object.metadata;
  if constexpr (!Traits::kNamespaced) {
    meta.namespace_.clear();  // as the API server, for cluster-scoped kinds
  } else if (meta.namespace_.empty()) {
    return ApiFail(ApiErrorCode::kInvalid,
                   std::string(Traits::kKind) + ": metadata.namespace: Required value");
  }
  if (!meta.resource_version.empty()) {
    return ApiFail(ApiErrorCode::kInvalid, std::string(Traits::kKind) +
                                               ": resourceVersion should not be set on objects "
                                               "to be created");
  }
  if (meta.name.empty()) {
    if (meta.generate_name.empty()) {
      return ApiFail(ApiErrorCode::kInvalid,
                     std::string(Traits::kKind) +
                         ": metadata.name: Required value: name or generateName is required");
    }
    // As the API server since RetryGenerateName: a taken generated name is drawn again.
    do {
      meta.name = state_.GenerateName(meta.generate_name);
    } while (objects_.contains(KeyOf(meta)));
  }
  const ObjectKey key = KeyOf(meta);
  if (objects_.contains(key)) {
    return ApiFail(ApiErrorCode::kAlreadyExists, Describe(Traits::kKind, key) + " already exists");
  }
  if (admission_) {
    if (auto refused = admission_(object)) return std::unexpected(std::move(*refused));
  }
  meta.uid = state_.NextUid();
  meta.generation = 1;
  meta.creation_timestamp = state_.NowSeconds();
  meta.deletion_timestamp.reset();
  if constexpr (requires { Traits::PrepareForCreate(object); }) Traits::PrepareForCreate(object);
  meta.resource_version = state_.NextResourceVersion();
  auto stored = std::make_shared<const T>(std::move(object));
  objects_.emplace(key, stored);
  everything_.reset();
  state_.IndexUid(stored->metadata.uid, ObjectRef{this, key});
  Emit(EventType::kAdded, stored);
  if (!stored->metadata.owner_references.empty()) {
    state_.UpdateOwners(ObjectRef{this, key}, {}, stored->metadata.owner_references);
  }
  return stored;
}

template <class T>
ApiResult<ObjectPtr<T>> MemoryResource<T>::UpdateStatus(T object) {
  const ObjectKey key = KeyOf(object.metadata);
  if constexpr (!Traits::kHasStatus) {
    return ApiFail(ApiErrorCode::kInvalid,
                   Describe(Traits::kKind, key) + ": this kind has no status subresource");
  } else {
    ObjectPtr<T> stored = Find(key);
    if (!stored) return std::unexpected(NotFoundError(Traits::kKind, key));
    if (auto error =
            CheckWritePreconditions(Traits::kKind, key, stored->metadata, object.metadata)) {
      return std::unexpected(std::move(*error));
    }
    T next = *stored;
    Traits::CopyStatus(object, next);
    return Replace(std::move(stored), std::move(next));
  }
}

template <class T>
ApiResult<void> MemoryResource<T>::Delete(const ObjectKey& key, const DeleteOptions& options) {
  ObjectPtr<T> stored = Find(key);
  if (!stored) return std::unexpected(NotFoundError(Traits::kKind, key));
  if (options.resource_version && *options.resource_version != stored->metadata.resource_version) {
    return ApiFail(ApiErrorCode::kConflict,
                   "Operation cannot be fulfilled on " + Describe(Traits::kKind, key) +
                       ": the object has been modified; please apply your changes to the "
                       "latest version and try again");
  }
  if (stored->metadata.deletion_timestamp) return {};  // already being deleted
  const std::string uid = stored->metadata.uid;
  using Propagation = DeleteOptions::Propagation;
  if (options.propagation == Propagation::kOrphan) {
    state_.OrphanDependents(uid);
    stored = Find(key);  // orphaning wrote other objects, maybe this one
    if (!stored) return {};
  }
  const bool foreground =
      options.propagation == Propagation::kForeground && state_.HasDependents(uid);
  if (!foreground && stored->metadata.finalizers.empty()) {
    Remove(key);
    return {};
  }
  T next = *stored;
  next.metadata.deletion_timestamp = state_.NowSeconds();
  if (foreground && !HasFinalizer(next.metadata, kForegroundDeletionFinalizer)) {
    next.metadata.finalizers.emplace_back(kForegroundDeletionFinalizer);
  }
  Commit(stored, std::move(next));
  // The owner goes once the last dependent is gone (ClusterState::UpdateOwners).
  if (foreground) state_.DeleteDependentsInForeground(uid);
  return {};
}

template <class T>
ApiResult<ObjectPtr<T>> MemoryResource<T>::Replace(ObjectPtr<T> stored, T next) {
  const api::ObjectMeta& old = stored->metadata;
  KeepServerFields(old, next.metadata);
  if (old.deletion_timestamp) {
    if (auto error = CheckNoNewFinalizers(Traits::kKind, KeyOf(old), old, next.metadata)) {
      return std::unexpected(std::move(*error));
    }
  }
  const bool spec_changed = !Traits::SpecEqual(*stored, next);
  if (spec_changed) next.metadata.generation = old.generation + 1;
  // As the API server: a write that changes nothing is no new revision and no event.
  if (!spec_changed && next.metadata == old && Traits::StatusEqual(*stored, next) &&
      next.raw == stored->raw) {
    return stored;
  }
  ObjectPtr<T> updated = Commit(stored, std::move(next));
  if (updated->metadata.deletion_timestamp && updated->metadata.finalizers.empty()) {
    Remove(KeyOf(updated->metadata));  // the last finalizer went: the deletion completes
  }
  return updated;
}

template <class T>
ObjectPtr<T> MemoryResource<T>::Commit(const ObjectPtr<T>& previous, T next) {
  next.metadata.resource_version = state_.NextResourceVersion();
  const ObjectKey key = KeyOf(next.metadata);
  auto updated = std::make_shared<const T>(std::move(next));
  objects_.insert_or_assign(key, updated);
  everything_.reset();
  // The event is queued before any side effect writes, so events stay in revision order.
  Emit(EventType::kModified, updated);
  if (previous->metadata.owner_references != updated->metadata.owner_references) {
    state_.UpdateOwners(ObjectRef{this, key}, previous->metadata.owner_references,
                        updated->metadata.owner_references);
  }
  return updated;
}

template <class T>
void MemoryResource<T>::Remove(const ObjectKey& key) {
  auto it = objects_.find(key);
  if (it == objects_.end()) return;
  const ObjectPtr<T> last = it->second;
  objects_.erase(it);
  everything_.reset();
  state_.UnindexUid(last->metadata.uid);
  // The deletion is a revision of its own; the DELETED event carries it, as etcd's does.
  std::string revision = state_.NextResourceVersion();
  if (!handlers_.empty()) {
    T final_version = *last;
    final_version.metadata.resource_version = std::move(revision);
    Emit(EventType::kDeleted, std::make_shared<const T>(std::move(final_version)));
  }
  state_.CollectDependents(last->metadata.uid, key.namespace_);
  if (!last->metadata.owner_references.empty()) {
    state_.UpdateOwners(ObjectRef{this, key}, last->metadata.owner_references, {});
  }
}

template <class T>
void MemoryResource<T>::Emit(EventType type, ObjectPtr<T> object) {
  // Nobody can receive it: handlers registered later do not see earlier writes.
  if (handlers_.empty()) return;
  pending_.push_back(WatchEvent<T>{type, std::move(object)});
  state_.QueueEvent(this, state_.LastWatchId());
}

template <class T>
void MemoryResource<T>::DeliverOldest(WatchId last_watch) {
  const WatchEvent<T> event = std::move(pending_.front());
  pending_.pop_front();
  // Looked up again after every call: a handler may watch or unwatch while it runs.
  for (auto it = handlers_.begin(); it != handlers_.end() && it->first <= last_watch;) {
    const WatchId id = it->first;
    const std::shared_ptr<const Handler> handler = it->second;
    (*handler)(event);
    it = handlers_.upper_bound(id);
  }
}

extern template class MemoryResource<api::Pod>;
extern template class MemoryResource<api::Node>;
extern template class MemoryResource<api::NodeClaim>;
extern template class MemoryResource<api::NodePool>;
extern template class MemoryResource<api::EC2NodeClass>;
extern template class MemoryResource<api::PodDisruptionBudget>;
extern template class MemoryResource<api::Deployment>;
extern template class MemoryResource<api::ReplicaSet>;
extern template class MemoryResource<api::StatefulSet>;
extern template class MemoryResource<api::DaemonSet>;
extern template class MemoryResource<api::Namespace>;
extern template class MemoryResource<api::PriorityClass>;

}  // namespace karpenter::kube::internal
