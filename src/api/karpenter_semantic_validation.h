// Checks on Karpenter's own kinds that their CRD schemas cannot express but upstream
// Karpenter enforces at admission or at run time. Meant to run beside CRD schema validation
// (which covers required fields, patterns, enums and CEL rules), on the defaulted object.
#pragma once

#include "api/field_error.h"
#include "api/json.h"

namespace karpenter::api {

// For a NodePool, NodeClaim or EC2NodeClass (by apiVersion and kind; any other object gives
// no errors):
//  - every error decoding the object into the typed model (wrong types, unparsable
//    quantities such as NodePool limits, durations, enums), with its JSON pointer;
//  - NodePool and NodeClaim requirements with Gt, Lt, Gte or Lte need exactly one value that
//    is a non-negative integer (`key K with operator Gt must have a single positive integer
//    value`, as upstream's requirement validation words it);
//  - a NodePool budget's schedule must parse as upstream's cron parser parses it (five
//    fields or an @-descriptor; internal/cron_syntax.h), e.g.
//    `invalid cron schedule "0 9 * *": expected exactly 5 fields, found 4: [0 9 * *]`.
// InstanceType has its own complete check: ValidateInstanceType.
FieldErrors ValidateKarpenterSemantics(const Json& object);

// Every problem with `object` as a sim.karpenter-cpp.io/v1alpha1 InstanceType, which has no
// CRD schema behind it, so this checks everything, strictly (an unknown field is an error: a
// misspelt field in a catalog must not pass silently): decode (type) errors, then unknown
// fields, apiVersion/kind, metadata.name, spec.capacity required and non-empty, non-negative
// quantities, requirements that core::Requirement::From accepts (with key and operator
// present, and values for In and NotIn), offerings with a zone, capacityType
// spot|on-demand|reserved, a price >= 0, and no two offerings for the same zone and capacity
// type.
FieldErrors ValidateInstanceType(const Json& object);

}  // namespace karpenter::api
