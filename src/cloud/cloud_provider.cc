#include "cloud/cloud_provider.h"

namespace karpenter::cloud {

std::string_view ToString(CloudErrorCode code) {
  switch (code) {
    case CloudErrorCode::kInsufficientCapacity:
      return "InsufficientCapacity";
    case CloudErrorCode::kLaunchFailed:
      return "LaunchFailed";
    case CloudErrorCode::kNotFound:
      return "NotFound";
    case CloudErrorCode::kInvalid:
      return "Invalid";
  }
  return "Unknown";
}

// EC2's instance-state names.
std::string_view ToString(InstanceState state) {
  switch (state) {
    case InstanceState::kPending:
      return "pending";
    case InstanceState::kRunning:
      return "running";
    case InstanceState::kShuttingDown:
      return "shutting-down";
    case InstanceState::kTerminated:
      return "terminated";
  }
  return "unknown";
}

}  // namespace karpenter::cloud
