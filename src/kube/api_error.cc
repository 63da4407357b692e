#include "kube/api_error.h"

namespace karpenter::kube {

std::string_view ToString(ApiErrorCode code) {
  switch (code) {
    case ApiErrorCode::kNotFound:
      return "NotFound";
    case ApiErrorCode::kAlreadyExists:
      return "AlreadyExists";
    case ApiErrorCode::kConflict:
      return "Conflict";
    case ApiErrorCode::kInvalid:
      return "Invalid";
    case ApiErrorCode::kTooManyRequests:
      return "TooManyRequests";
    case ApiErrorCode::kForbidden:
      return "Forbidden";
  }
  return "Unknown";
}

}  // namespace karpenter::kube
