// core/v1 Node: the fields Karpenter reads to match nodes to NodeClaims and to count what is
// left on them. Fields not modelled here survive in `raw`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/json.h"
#include "api/model/object_meta.h"
#include "core/resource_list.h"
#include "core/taint.h"

namespace karpenter::api {

struct NodeSpec {
  std::string provider_id;  // e.g. aws:///us-west-2a/i-0123456789abcdef0; links Node and NodeClaim
  std::vector<core::Taint> taints;
  bool unschedulable = false;  // cordoned

  friend bool operator==(const NodeSpec&, const NodeSpec&) = default;
};

struct NodeCondition {
  std::string type;    // Ready, MemoryPressure, ...
  std::string status;  // True, False, Unknown
  std::string reason;
  std::string message;
  std::optional<int64_t> last_heartbeat_time;
  std::optional<int64_t> last_transition_time;

  friend bool operator==(const NodeCondition&, const NodeCondition&) = default;
};

// status.nodeInfo, as the kubelet reports it.
struct NodeSystemInfo {
  std::string architecture;      // amd64, arm64
  std::string operating_system;  // linux, windows

  friend bool operator==(const NodeSystemInfo&, const NodeSystemInfo&) = default;
};

struct NodeStatus {
  core::ResourceList capacity;
  core::ResourceList allocatable;
  std::vector<NodeCondition> conditions;
  NodeSystemInfo node_info;

  friend bool operator==(const NodeStatus&, const NodeStatus&) = default;
};

struct Node {
  ObjectMeta metadata;
  NodeSpec spec;
  NodeStatus status;
  Json raw;
};

}  // namespace karpenter::api
