// Defaulting by a structural schema, as the API server does when it decodes a custom resource.
#pragma once

#include "api/json.h"
#include "api/schema/schema.h"

namespace karpenter::api::schema {

// Sets every absent field that has a `default` (and every null one that is not nullable),
// top-down: a defaulted object then receives its own fields' defaults, and so do array items
// and additionalProperties values. Defaults are appended after the fields already present, in
// the schema's order. Nothing else changes; unknown fields are kept.
void ApplyDefaults(const Schema& schema, Json& value);

}  // namespace karpenter::api::schema
