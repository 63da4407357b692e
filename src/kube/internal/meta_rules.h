// The API server's rules about metadata that do not depend on the kind: which fields a client
// cannot change, the optimistic-concurrency preconditions of a write, and the finalizer rule for
// objects being deleted. Plus the wording of the errors. Internal to kube/.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/model/object_meta.h"
#include "kube/api_error.h"
#include "kube/cluster.h"

namespace karpenter::kube::internal {

// `Pod "default/web"`, `Node "node-a"`: how errors name an object.
std::string Describe(std::string_view kind, const ObjectKey& key);

ApiError NotFoundError(std::string_view kind, const ObjectKey& key);

// An Update or UpdateStatus must carry the stored resourceVersion (an empty one is refused
// too) and, when it carries a uid, the stored uid.
std::optional<ApiError> CheckWritePreconditions(std::string_view kind, const ObjectKey& key,
                                                const api::ObjectMeta& stored,
                                                const api::ObjectMeta& incoming);

// Restores what only the server sets: name, namespace, uid, resourceVersion, generation and
// the creation and deletion timestamps.
void KeepServerFields(const api::ObjectMeta& stored, api::ObjectMeta& next);

// An object being deleted may lose finalizers but gain none (the API server's rule).
std::optional<ApiError> CheckNoNewFinalizers(std::string_view kind, const ObjectKey& key,
                                             const api::ObjectMeta& stored,
                                             const api::ObjectMeta& next);

bool HasFinalizer(const api::ObjectMeta& meta, std::string_view finalizer);

}  // namespace karpenter::kube::internal
