// The functions of the CEL subset: size, type conversions, string functions and the Kubernetes
// regex library (find, findAll). Internal to the CEL package.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "api/cel/value.h"

namespace re2 {
class RE2;
}

namespace karpenter::api::cel {

// Whether `name` with `arity` arguments (the receiver of a method call counts as one) exists.
bool IsKnownFunction(std::string_view name, bool has_target, std::size_t arity);

// Whether the last argument of `name` is a regular expression (matches, find, findAll).
bool IsRegexFunction(std::string_view name);

// Calls `name`. For a method call args[0] is the receiver. `regex` is the precompiled pattern of
// a regex function whose pattern was a literal, or null. `budget` is charged for work
// proportional to the size of the arguments.
Value CallFunction(std::string_view name, bool has_target, std::span<const Value> args,
                   const re2::RE2* regex, std::int64_t& budget);

}  // namespace karpenter::api::cel
