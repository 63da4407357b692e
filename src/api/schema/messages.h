// Field error messages in the words of Kubernetes' apimachinery (field.Invalid, field.Required,
// field.NotSupported, ...) and of its OpenAPI validator ("spec.x in body should match '...'").
// Internal to the schema package.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/diagnostic.h"
#include "api/json.h"

namespace karpenter::api::schema {

// `value` the way apimachinery prints a bad value: strings quoted (Go's %q), numbers and
// booleans plain (Go's %v), anything else as JSON.
std::string GoValue(const Json& value);

// The JSON kind of `value` in OpenAPI words: "object", "array", "string", "integer", "number",
// "boolean", "null".
std::string JsonKind(const Json& value);

// "Invalid value: <value>: <detail>".
std::string InvalidValue(const Json& value, std::string_view detail);
// "Invalid value: <detail>", for objects and arrays, whose value Kubernetes omits.
std::string InvalidOmitted(std::string_view detail);
// "Unsupported value: <value>: supported values: "a", "b"".
std::string UnsupportedValue(const Json& value, const std::vector<Json>& supported);
// "Too many: <actual>: must have at most <max> items".
std::string TooMany(std::size_t actual, std::int64_t max);
// "Duplicate value: <value>".
std::string DuplicateValue(const Json& value);

inline constexpr std::string_view kRequired = "Required value";

// A JSON pointer segment with '~' and '/' escaped.

// The field path of `pointer` for "<path> in body ..." messages ("spec.requirements[0].key").
std::string BodyPath(std::string_view pointer);

}  // namespace karpenter::api::schema
