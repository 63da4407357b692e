#include "kube/internal/meta_rules.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <vector>

namespace karpenter::kube::internal {

std::string Describe(std::string_view kind, const ObjectKey& key) {
  if (key.namespace_.empty()) return fmt::format("{} \"{}\"", kind, key.name);
  return fmt::format("{} \"{}/{}\"", kind, key.namespace_, key.name);
}

ApiError NotFoundError(std::string_view kind, const ObjectKey& key) {
  return ApiError{ApiErrorCode::kNotFound, Describe(kind, key) + " not found"};
}

std::optional<ApiError> CheckWritePreconditions(std::string_view kind, const ObjectKey& key,
                                                const api::ObjectMeta& stored,
                                                const api::ObjectMeta& incoming) {
  if (incoming.resource_version.empty()) {
    return ApiError{ApiErrorCode::kConflict,
                    fmt::format("Operation cannot be fulfilled on {}: "
                                "metadata.resourceVersion must be specified for an update",
                                Describe(kind, key))};
  }
  if (incoming.resource_version != stored.resource_version) {
    return ApiError{ApiErrorCode::kConflict,
                    fmt::format("Operation cannot be fulfilled on {}: the object has been "
                                "modified; please apply your changes to the latest version and "
                                "try again",
                                Describe(kind, key))};
  }
  if (!incoming.uid.empty() && incoming.uid != stored.uid) {
    return ApiError{ApiErrorCode::kConflict,
                    fmt::format("Operation cannot be fulfilled on {}: Precondition failed: UID "
                                "in precondition: {}, UID in object meta: {}",
                                Describe(kind, key), incoming.uid, stored.uid)};
  }
  return std::nullopt;
}

void KeepServerFields(const api::ObjectMeta& stored, api::ObjectMeta& next) {
  next.name = stored.name;
  next.namespace_ = stored.namespace_;
  next.uid = stored.uid;
  next.resource_version = stored.resource_version;
  next.generation = stored.generation;
  next.creation_timestamp = stored.creation_timestamp;
  next.deletion_timestamp = stored.deletion_timestamp;
}

std::optional<ApiError> CheckNoNewFinalizers(std::string_view kind, const ObjectKey& key,
                                             const api::ObjectMeta& stored,
                                             const api::ObjectMeta& next) {
  std::vector<std::string> added;
  for (const std::string& finalizer : next.finalizers) {
    if (!HasFinalizer(stored, finalizer)) added.push_back("\"" + finalizer + "\"");
  }
  if (added.empty()) return std::nullopt;
  return ApiError{ApiErrorCode::kInvalid,
                  fmt::format("{}: metadata.finalizers: Forbidden: no new finalizers can be "
                              "added if the object is being deleted, found new finalizers [{}]",
                              Describe(kind, key), fmt::join(added, ", "))};
}

bool HasFinalizer(const api::ObjectMeta& meta, std::string_view finalizer) {
  return std::find(meta.finalizers.begin(), meta.finalizers.end(), finalizer) !=
         meta.finalizers.end();
}

}  // namespace karpenter::kube::internal
