// The `--requirement` flag of `karpenter instance-types`: one NodePool-style requirement
// written on one line, "key operator [values]".
#pragma once

#include <string_view>

#include "core/requirement.h"
#include "core/result.h"

namespace karpenter::cli {

// Parses "key Op v1,v2": the key, one or more spaces, the operator as the API spells it (In,
// NotIn, Exists, DoesNotExist, Gt, Lt, Gte, Lte), then, for all but Exists and DoesNotExist,
// the values separated by commas (spaces around a comma are ignored). In and NotIn need at
// least one value, Gt/Lt/Gte/Lte exactly one integer; Exists and DoesNotExist take none. The
// error says what is wrong, without repeating the text.
Result<core::NodeSelectorRequirement> ParseRequirementFlag(std::string_view text);

}  // namespace karpenter::cli
