// Static drift: a NodeClaim records the hash of its NodePool's template when it is launched
// (karpenter.sh/nodepool-hash, with karpenter.sh/nodepool-hash-version naming the hash
// scheme); when the NodePool's template changes, the hashes differ and the NodeClaim has
// drifted. Requirements are not hashed: requirement drift is checked label by label instead.
//
// Our hash is our own (FNV-1a 64 over a canonical text of the template), so its values differ
// from upstream's Go hashstructure values and it carries its own version, kNodePoolHashVersion.
// A NodeClaim stamped by another scheme (upstream's "v3", or none) is therefore never compared
// by value: as upstream's hash controller does after a version change, it is re-stamped with
// the current hash, unless it is already Drifted, in which case it stays drifted.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "api/model/node_claim.h"
#include "api/model/node_pool.h"
#include "disruption/snapshot.h"

namespace karpenter::disruption {

inline constexpr std::string_view kNodePoolHashVersion = "karpenter-cpp-v1";

// Decimal FNV-1a 64 of the template's hashed fields: metadata labels and annotations, taints
// and startup taints (as sets), nodeClassRef, terminationGracePeriod and expireAfter (720h
// when absent, as the CRD defaults it). Absent and empty values hash alike.
std::string NodePoolTemplateHash(const api::NodePool& node_pool);

enum class StaticDrift { kNone, kDrifted, kDriftedBeforeVersionChange };

// Compares `node_claim`'s stamp with `node_pool`'s current template. With our version: drifted
// when the hashes differ (no hash annotation: not drifted). With another version: drifted only
// when the NodeClaim already has a Drifted condition (kDriftedBeforeVersionChange).
StaticDrift CheckStaticDrift(const api::NodePool& node_pool, const api::NodeClaim& node_claim);

// The annotations a hash controller writes on `node_claim` when its stamp is of another
// version: our version, and the current hash unless the NodeClaim is already Drifted. nullopt
// when the stamp is already ours.
std::optional<std::map<std::string, std::string>> RestampAnnotations(
    const api::NodePool& node_pool, const api::NodeClaim& node_claim);

}  // namespace karpenter::disruption
