// How a plain (unquoted) YAML scalar becomes a JSON value, the way Kubernetes' YAML decoder
// (go-yaml v2, YAML 1.1 rules, then converted to JSON) resolves it.
#pragma once

#include <string_view>

#include "api/json.h"
#include "core/result.h"

namespace karpenter::api::internal {

// Resolves a plain scalar: null (`~`, `null`, empty), booleans (true/false, yes/no, on/off in
// their three spellings), integers (decimal, 0x hex, 0o and leading-zero octal, 0b binary,
// `_` separators), floats. Anything else is a string. `.inf`/`.nan` are errors because JSON
// cannot hold them.
Result<Json> ResolvePlainScalar(std::string_view text);

// True when `text`, written plain, would not read back as the same string (it would become
// a number, a boolean, null, or be mis-parsed). The YAML writer quotes such strings.
bool PlainScalarNeedsQuotes(std::string_view text);

// True when `text` is valid UTF-8 (JSON strings must be).
bool IsValidUtf8(std::string_view text);

}  // namespace karpenter::api::internal
