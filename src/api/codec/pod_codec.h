// Codec of core/v1 Pod, and of PodSpec for the workloads whose templates embed one.
#pragma once

#include <string>

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "api/field_error.h"
#include "api/json.h"
#include "api/model/pod.h"

namespace karpenter::api::codec {

// Decodes `object` (located at `pointer`, usually ""); type problems and what the API server
// would reject (see the codecs of the parts: containers, affinity, tolerations, topology
// spread) go to `errors`. Always returns a value (fields that failed are left default); API
// server defaults are applied (schedulerName, terminationGracePeriodSeconds, port protocol).
Pod DecodePod(const Json& object, FieldErrors& errors, const std::string& pointer = "");
// Encodes `value` over `value.raw`: known fields are written, unknown fields and key order of
// raw are preserved; defaults that were implicit stay implicit.
Json EncodePod(const Pod& value);

// The pod spec parts, for PodTemplateSpec.
PodSpec ReadPodSpec(const FieldReader& reader);
void WritePodSpec(const PodSpec& spec, FieldWriter& writer);

}  // namespace karpenter::api::codec
