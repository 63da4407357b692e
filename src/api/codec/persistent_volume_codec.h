// Codecs of core/v1 PersistentVolumeClaim and PersistentVolume. Decoding also checks what the
// API server checks about the modelled fields: a PV's nodeAffinity needs `required` with at
// least one node selector term (valid operators), spec.local and spec.hostPath need a path.
#pragma once

#include <string>

#include "api/field_error.h"
#include "api/json.h"
#include "api/model/persistent_volume.h"

namespace karpenter::api::codec {

PersistentVolumeClaim DecodePersistentVolumeClaim(const Json& object, FieldErrors& errors,
                                                  const std::string& pointer = "");
// Encodes over `value.raw`, preserving unknown fields and key order.
Json EncodePersistentVolumeClaim(const PersistentVolumeClaim& value);

PersistentVolume DecodePersistentVolume(const Json& object, FieldErrors& errors,
                                        const std::string& pointer = "");
// Encodes over `value.raw`, preserving unknown fields and key order.
Json EncodePersistentVolume(const PersistentVolume& value);

}  // namespace karpenter::api::codec
