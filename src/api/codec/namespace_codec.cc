#include "api/codec/namespace_codec.h"

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "api/codec/object_meta_codec.h"

namespace karpenter::api::codec {

Namespace DecodeNamespace(const Json& object, FieldErrors& errors, const std::string& pointer) {
  FieldReader root(&object, pointer, &errors);
  Namespace ns;
  ns.metadata = ReadObjectMeta(root.Object("metadata"));
  ns.raw = object;
  return ns;
}

Json EncodeNamespace(const Namespace& value) {
  Json out = value.raw;
  FieldWriter writer(out);
  writer.String("apiVersion", "v1");
  writer.String("kind", "Namespace");
  writer.Object("metadata", [&](FieldWriter& meta) { WriteObjectMeta(value.metadata, meta); },
                /*required=*/true);
  return out;
}

}  // namespace karpenter::api::codec
