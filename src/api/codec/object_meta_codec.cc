#include "api/codec/object_meta_codec.h"

namespace karpenter::api::codec {
namespace {

OwnerReference ReadOwnerReference(const FieldReader& reader) {
  OwnerReference ref;
  ref.api_version = reader.RequiredString("apiVersion");
  ref.kind = reader.RequiredString("kind");
  ref.name = reader.RequiredString("name");
  ref.uid = reader.RequiredString("uid");
  ref.controller = reader.Bool("controller").value_or(false);
  ref.block_owner_deletion = reader.Bool("blockOwnerDeletion").value_or(false);
  return ref;
}

void WriteOwnerReference(const OwnerReference& ref, FieldWriter& writer) {
  writer.String("apiVersion", ref.api_version);
  writer.String("kind", ref.kind);
  writer.String("name", ref.name);
  writer.String("uid", ref.uid);
  writer.OmitEmptyBool("controller", ref.controller);
  writer.OmitEmptyBool("blockOwnerDeletion", ref.block_owner_deletion);
}

}  // namespace

ObjectMeta ReadObjectMeta(const FieldReader& reader) {
  ObjectMeta meta;
  meta.name = reader.String("name").value_or("");
  meta.generate_name = reader.String("generateName").value_or("");
  meta.namespace_ = reader.String("namespace").value_or("");
  meta.uid = reader.String("uid").value_or("");
  meta.resource_version = reader.String("resourceVersion").value_or("");
  meta.generation = reader.Int("generation").value_or(0);
  meta.labels = reader.StringMap("labels");
  meta.annotations = reader.StringMap("annotations");
  meta.finalizers = reader.StringList("finalizers");
  reader.Objects("ownerReferences", [&](const FieldReader& item) {
    meta.owner_references.push_back(ReadOwnerReference(item));
  });
  meta.creation_timestamp = reader.Timestamp("creationTimestamp");
  meta.deletion_timestamp = reader.Timestamp("deletionTimestamp");
  return meta;
}

ObjectMeta DecodeObjectMeta(const Json& object, FieldErrors& errors, const std::string& pointer) {
  return ReadObjectMeta(FieldReader(&object, pointer, &errors));
}

void WriteObjectMeta(const ObjectMeta& value, FieldWriter& writer) {
  writer.OmitEmptyString("name", value.name);
  writer.OmitEmptyString("generateName", value.generate_name);
  writer.OmitEmptyString("namespace", value.namespace_);
  writer.OmitEmptyString("uid", value.uid);
  writer.OmitEmptyString("resourceVersion", value.resource_version);
  writer.OmitEmptyInt("generation", value.generation);
  writer.StringMap("labels", value.labels);
  writer.StringMap("annotations", value.annotations);
  writer.StringList("finalizers", value.finalizers);
  writer.ObjectList("ownerReferences", value.owner_references.size(),
                    [&](std::size_t i, FieldWriter& item) {
                      WriteOwnerReference(value.owner_references[i], item);
                    });
  writer.Timestamp("creationTimestamp", value.creation_timestamp);
  writer.Timestamp("deletionTimestamp", value.deletion_timestamp);
}

Json EncodeObjectMeta(const ObjectMeta& value, const Json& base) {
  Json out = base;
  FieldWriter writer(out);
  WriteObjectMeta(value, writer);
  return out;
}

}  // namespace karpenter::api::codec
