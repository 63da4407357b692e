// Errors of the cluster port, as the Kubernetes API reports them (HTTP status in comments),
// so controllers handle a conflict or a refused eviction the same way against the in-memory
// store and a real API server.
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace karpenter::kube {

enum class ApiErrorCode {
  kNotFound,         // 404
  kAlreadyExists,    // 409 on create
  kConflict,         // 409: the write carried a stale resourceVersion
  kInvalid,          // 422: the object breaks an API rule (e.g. no name)
  kTooManyRequests,  // 429: an eviction a PodDisruptionBudget does not allow now
  kForbidden,        // 403: an admission plugin refused the write (e.g. unknown PriorityClass)
};

std::string_view ToString(ApiErrorCode code);

struct ApiError {
  ApiErrorCode code = ApiErrorCode::kInvalid;
  std::string message;
};

template <class T>
using ApiResult = std::expected<T, ApiError>;

inline std::unexpected<ApiError> ApiFail(ApiErrorCode code, std::string message) {
  return std::unexpected(ApiError{code, std::move(message)});
}

}  // namespace karpenter::kube
