#include "kube/internal/cluster_state.h"

#include <algorithm>
#include <chrono>

namespace karpenter::kube::internal {
namespace {

bool NamesOwner(const std::vector<api::OwnerReference>& references, const std::string& uid) {
  return std::any_of(references.begin(), references.end(),
                     [&](const api::OwnerReference& reference) { return reference.uid == uid; });
}

// Clears `delivering` however Deliver leaves (a handler may throw).
class DeliveringScope {
 public:
  explicit DeliveringScope(bool& flag) : flag_(flag) { flag_ = true; }
  ~DeliveringScope() { flag_ = false; }
  DeliveringScope(const DeliveringScope&) = delete;
  DeliveringScope& operator=(const DeliveringScope&) = delete;

 private:
  bool& flag_;
};

}  // namespace

int64_t ClusterState::NowSeconds() const {
  return std::chrono::floor<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

std::string ClusterState::NextResourceVersion() { return std::to_string(++revision_); }

std::string ClusterState::NextUid() { return "uid-" + std::to_string(++uid_counter_); }

std::string ClusterState::GenerateName(const std::string& prefix) {
  // The API server appends five random characters from an alphabet without vowels and
  // look-alike digits. Multiplying the counter by a number prime to 27 walks all 27^5 suffixes
  // in a scrambled but fixed order, so generated names are deterministic and look generated.
  static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  static constexpr uint64_t kSpace = 27ULL * 27 * 27 * 27 * 27;
  uint64_t value = (++name_counter_ * 1000003ULL) % kSpace;
  std::string suffix(5, kAlphabet[0]);
  for (int i = 4; i >= 0; --i) {
    suffix[static_cast<size_t>(i)] = kAlphabet[value % kAlphabet.size()];
    value /= kAlphabet.size();
  }
  return prefix + suffix;
}

void ClusterState::QueueEvent(ResourceBase* resource, WatchId last_watch) {
  queue_.push_back(QueuedEvent{resource, last_watch});
}

size_t ClusterState::Deliver(size_t limit) {
  // A handler calling Deliver again would reorder events; the outer loop delivers them anyway.
  if (delivering_) return 0;
  DeliveringScope scope(delivering_);
  size_t delivered = 0;
  while (!queue_.empty() && delivered < limit) {
    const QueuedEvent event = queue_.front();
    queue_.pop_front();
    ++delivered;
    event.resource->DeliverOldest(event.last_watch);
  }
  return delivered;
}

void ClusterState::IndexUid(const std::string& uid, ObjectRef ref) {
  uids_.insert_or_assign(uid, std::move(ref));
}

void ClusterState::UnindexUid(const std::string& uid) { uids_.erase(uid); }

const ObjectRef* ClusterState::FindUid(const std::string& uid) const {
  auto it = uids_.find(uid);
  return it == uids_.end() ? nullptr : &it->second;
}

void ClusterState::UpdateOwners(const ObjectRef& dependent,
                                const std::vector<api::OwnerReference>& before,
                                const std::vector<api::OwnerReference>& after) {
  for (const api::OwnerReference& owner : after) {
    if (!NamesOwner(before, owner.uid)) dependents_[owner.uid].insert(dependent);
  }
  std::vector<std::string> detached;
  for (const api::OwnerReference& owner : before) {
    if (NamesOwner(after, owner.uid)) continue;
    auto it = dependents_.find(owner.uid);
    if (it == dependents_.end() || it->second.erase(dependent) == 0) continue;
    if (it->second.empty()) dependents_.erase(it);
    detached.push_back(owner.uid);
  }
  for (const std::string& owner_uid : detached) FinishForegroundIfDone(owner_uid);
}

std::vector<ObjectRef> ClusterState::DependentsOf(const std::string& owner_uid,
                                                  const std::string& owner_namespace) const {
  std::vector<ObjectRef> dependents;
  auto it = dependents_.find(owner_uid);
  if (it == dependents_.end()) return dependents;
  for (const ObjectRef& dependent : it->second) {
    // A namespaced owner only owns objects of its own namespace; a cluster-scoped one any.
    if (!owner_namespace.empty() && dependent.key.namespace_ != owner_namespace) continue;
    dependents.push_back(dependent);
  }
  return dependents;
}

bool ClusterState::HasDependents(const std::string& owner_uid) const {
  const ObjectRef* owner = FindUid(owner_uid);
  return owner != nullptr && !DependentsOf(owner_uid, owner->key.namespace_).empty();
}

void ClusterState::OrphanDependents(const std::string& owner_uid) {
  auto it = dependents_.find(owner_uid);
  if (it == dependents_.end()) return;
  // Copied: every removal edits the set.
  const std::vector<ObjectRef> dependents(it->second.begin(), it->second.end());
  for (const ObjectRef& dependent : dependents) {
    dependent.resource->RemoveOwnerReference(dependent.key, owner_uid);
  }
}

void ClusterState::DeleteDependentsInForeground(const std::string& owner_uid) {
  const ObjectRef* owner = FindUid(owner_uid);
  if (owner == nullptr) return;
  for (const ObjectRef& dependent : DependentsOf(owner_uid, owner->key.namespace_)) {
    dependent.resource->DeleteForGc(dependent.key, DeleteOptions::Propagation::kForeground);
  }
}

void ClusterState::CollectDependents(const std::string& owner_uid,
                                     const std::string& owner_namespace) {
  for (const ObjectRef& dependent : DependentsOf(owner_uid, owner_namespace)) {
    const api::ObjectMeta* meta = dependent.resource->FindMeta(dependent.key);
    if (meta == nullptr) continue;
    // As the garbage collector: a dependent that still has an owner in the store stays, and
    // only loses the reference to the owner that went.
    const bool owned_elsewhere =
        std::any_of(meta->owner_references.begin(), meta->owner_references.end(),
                    [&](const api::OwnerReference& other) {
                      return other.uid != owner_uid && FindUid(other.uid) != nullptr;
                    });
    if (owned_elsewhere) {
      dependent.resource->RemoveOwnerReference(dependent.key, owner_uid);
    } else {
      dependent.resource->DeleteForGc(dependent.key, DeleteOptions::Propagation::kBackground);
    }
  }
}

void ClusterState::FinishForegroundIfDone(const std::string& owner_uid) {
  const ObjectRef* found = FindUid(owner_uid);
  if (found == nullptr) return;
  const ObjectRef owner = *found;  // the index may change while the owner is written
  const api::ObjectMeta* meta = owner.resource->FindMeta(owner.key);
  // Checked first: this runs on every dependent removal, the scan below only when it matters.
  if (meta == nullptr || !meta->deletion_timestamp ||
      std::find(meta->finalizers.begin(), meta->finalizers.end(), kForegroundDeletionFinalizer) ==
          meta->finalizers.end()) {
    return;
  }
  if (!DependentsOf(owner_uid, owner.key.namespace_).empty()) return;
  owner.resource->FinishForegroundDeletion(owner.key);
}

}  // namespace karpenter::kube::internal
