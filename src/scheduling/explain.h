// Words for why a pod cannot go somewhere: short, deterministic, naming the constraint.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/requirements.h"
#include "scheduling/pod_constraints.h"

namespace karpenter::scheduling {

// The first host port of `wanted` that one of `used` already binds, as
// "host port 8080/TCP is already in use"; nullopt when none conflicts.
std::optional<std::string> HostPortConflict(const std::vector<HostPort>& wanted,
                                            const std::vector<HostPort>& used);

// Why `pod` requirements are not compatible with `node` requirements (what `node_desc`, e.g.
// "NodePool \"default\"", defines), naming the first key by key order:
//   requirement "k In [x]" needs label "k", which <node_desc> does not define
//   requirement "k In [x]" conflicts with <node_desc>'s "k In [a b]"
std::string ExplainIncompatible(const core::Requirements& node, const core::Requirements& pod,
                                const core::AllowUndefinedKeys& allow, std::string_view node_desc);

// One line for a pod that fits nowhere: each NodePool's reason, "; "-joined.
std::string JoinReasons(const std::vector<std::string>& reasons);

}  // namespace karpenter::scheduling
