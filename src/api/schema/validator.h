// Validation of a document against a structural schema, as the Kubernetes API server validates a
// custom resource: OpenAPI keywords, list types, CEL rules (transition rules only when an old
// object is given), unknown fields reported as warnings, and validation ratcheting on update
// (errors in values that did not change are not held against an update).
#pragma once

#include <string>

#include "api/field_error.h"
#include "api/json.h"
#include "api/schema/schema.h"

namespace karpenter::api::schema {

struct ValidationOutput {
  FieldErrors errors;
  FieldErrors warnings;
};

struct ValidateOptions {
  // Validate the root's `metadata` as Kubernetes ObjectMeta (name, labels, annotations, ...)
  // instead of by its (empty) schema, as the API server does for every object.
  bool object_meta_at_root = true;
};

// Validates `value` (and, for an update, `old_value`; null on create) against `schema`,
// appending every problem found. Never stops at the first error.
ValidationOutput Validate(const Schema& schema, const Json& value, const Json* old_value,
                          const ValidateOptions& options = {});

}  // namespace karpenter::api::schema
