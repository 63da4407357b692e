// Validation and defaulting of Karpenter's custom resources exactly as the Kubernetes API server
// does them with upstream's CRDs (karpenter.sh/v1 NodePool and NodeClaim, karpenter.k8s.aws/v1
// EC2NodeClass): the OpenAPI schema, list types, every x-kubernetes-validations CEL rule,
// ObjectMeta rules, and the schema's defaults. Messages are in Kubernetes' words
// ("Required value", "Unsupported value: ...", the rule's message).
#pragma once

#include <string_view>

#include "api/field_error.h"
#include "api/json.h"

namespace karpenter::api {

struct SchemaReport {
  FieldErrors errors;    // the API server would reject the object for each of these
  FieldErrors warnings;  // accepted, but worth saying: unknown fields (which the server would
                         // prune), errors ratcheted on update, int32 overflow
};

// Whether (apiVersion, kind) is one of the kinds validated here.
bool IsSchemaKind(std::string_view api_version, std::string_view kind);

// Validates `object` against its CRD. `old_object` is the stored object for an update (enables
// transition rules such as immutability, and ratcheting of unchanged fields), null for a
// create. Both are defaulted first (on copies), as the API server validates defaulted objects.
// Reports every problem, each located by a JSON pointer into `object`. An object of another
// kind gets one error on /kind (or /apiVersion when only the version is unknown).
SchemaReport ValidateAgainstCrd(const Json& object, const Json* old_object = nullptr);

// Applies the CRD's defaults to `object` in place (absent fields only, top-down, also inside
// list items and map values). Objects of other kinds are left unchanged. Unknown fields are kept.
void ApplyCrdDefaults(Json& object);

}  // namespace karpenter::api
