// Codec of storage.k8s.io/v1 StorageClass. Decoding also checks what the API server checks:
// provisioner is required, volumeBindingMode is Immediate or WaitForFirstConsumer, and each
// allowedTopologies term has label expressions with a key and at least one value, without
// duplicate values, keys or terms.
#pragma once

#include <string>

#include "api/field_error.h"
#include "api/json.h"
#include "api/model/storage_class.h"

namespace karpenter::api::codec {

StorageClass DecodeStorageClass(const Json& object, FieldErrors& errors,
                                const std::string& pointer = "");
// Encodes over `value.raw`, preserving unknown fields and key order.
Json EncodeStorageClass(const StorageClass& value);

}  // namespace karpenter::api::codec
