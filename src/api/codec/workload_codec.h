// Codecs of apps/v1 Deployment, ReplicaSet, StatefulSet and DaemonSet. Decoding applies the API
// server's defaults (replicas 1, podManagementPolicy OrderedReady, the pod spec's defaults) and
// checks what it checks: replicas >= 0, a non-empty selector that matches the template's
// labels, plus everything the pod spec codec checks on the template.
#pragma once

#include <string>

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "api/field_error.h"
#include "api/json.h"
#include "api/model/workloads.h"

namespace karpenter::api::codec {

// Each Decode reads `object` (located at `pointer`, usually "") and always returns a value
// (fields that failed are left default); problems go to `errors`. Each Encode writes over
// `value.raw`, preserving unknown fields (strategy, status, ...) and key order.
Deployment DecodeDeployment(const Json& object, FieldErrors& errors,
                            const std::string& pointer = "");
Json EncodeDeployment(const Deployment& value);

ReplicaSet DecodeReplicaSet(const Json& object, FieldErrors& errors,
                            const std::string& pointer = "");
Json EncodeReplicaSet(const ReplicaSet& value);

StatefulSet DecodeStatefulSet(const Json& object, FieldErrors& errors,
                              const std::string& pointer = "");
Json EncodeStatefulSet(const StatefulSet& value);

DaemonSet DecodeDaemonSet(const Json& object, FieldErrors& errors,
                          const std::string& pointer = "");
Json EncodeDaemonSet(const DaemonSet& value);

// core/v1 PodTemplateSpec (metadata + pod spec).
PodTemplateSpec ReadPodTemplateSpec(const FieldReader& reader);
void WritePodTemplateSpec(const PodTemplateSpec& value, FieldWriter& writer);

}  // namespace karpenter::api::codec
