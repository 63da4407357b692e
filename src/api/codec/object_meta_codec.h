// metav1.ObjectMeta codec, shared by every kind's codec.
#pragma once

#include <string>

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "api/field_error.h"
#include "api/json.h"
#include "api/model/object_meta.h"

namespace karpenter::api::codec {

// Decodes `object` (the metadata object, located at `pointer`); type problems go to `errors`.
// Always returns a value (fields that failed are left default).
ObjectMeta DecodeObjectMeta(const Json& object, FieldErrors& errors,
                            const std::string& pointer = "/metadata");
// As DecodeObjectMeta, for a reader already positioned on the metadata object.
ObjectMeta ReadObjectMeta(const FieldReader& reader);

// Encodes `value` over `base` (the metadata Json it was decoded from, or {}): known fields are
// written, unknown fields (managedFields, ...) and key order are preserved.
Json EncodeObjectMeta(const ObjectMeta& value, const Json& base = Json::object());
// As EncodeObjectMeta, into a writer positioned on the metadata object.
void WriteObjectMeta(const ObjectMeta& value, FieldWriter& writer);

}  // namespace karpenter::api::codec
