#include "api/codec/persistent_volume_codec.h"

#include <optional>
#include <string_view>
#include <utility>

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "api/codec/internal/kube_codec_util.h"
#include "api/codec/object_meta_codec.h"
#include "api/codec/selector_codec.h"

namespace karpenter::api::codec {
namespace {

// spec.nodeAffinity of a volume: as the API server, a present nodeAffinity must say `required`,
// and `required` must have a term.
std::vector<NodeSelectorTerm> ReadVolumeNodeAffinity(const FieldReader& spec) {
  std::vector<NodeSelectorTerm> terms;
  if (!spec.Has("nodeAffinity")) return terms;
  const FieldReader affinity = spec.Object("nodeAffinity");
  if (!affinity.Has("required")) {
    affinity.Error("required", internal::Required("must specify required node constraints"));
    return terms;
  }
  const FieldReader required = affinity.Object("required");
  required.Objects("nodeSelectorTerms",
                   [&](const FieldReader& item) { terms.push_back(ReadNodeSelectorTerm(item)); });
  if (terms.empty()) {
    required.Error("nodeSelectorTerms",
                   internal::Required("must have at least one node selector term"));
  }
  return terms;
}

// Whether a volume's Json has node affinity terms (to tell "removed" from "never had").
bool HasAffinityTerms(const Json* affinity) {
  if (affinity == nullptr || !affinity->is_object() || !affinity->contains("required")) {
    return false;
  }
  const Json& required = (*affinity)["required"];
  return required.is_object() && !required.value("nodeSelectorTerms", Json::array()).empty();
}

void WriteRequired(const std::vector<NodeSelectorTerm>& terms, FieldWriter& required) {
  required.ObjectList("nodeSelectorTerms", terms.size(), [&](std::size_t i, FieldWriter& item) {
    WriteNodeSelectorTerm(terms[i], item);
  });
}

void WriteVolumeNodeAffinity(const std::vector<NodeSelectorTerm>& terms, FieldWriter& spec) {
  if (terms.empty()) {
    // No terms is no affinity; an invalid `nodeAffinity` the input had stays as it was.
    if (HasAffinityTerms(spec.Existing("nodeAffinity"))) spec.Erase("nodeAffinity");
    return;
  }
  auto fill = [&](FieldWriter& affinity) {
    affinity.Object(
        "required", [&](FieldWriter& required) { WriteRequired(terms, required); },
        /*required=*/true);
  };
  spec.Object("nodeAffinity", fill, /*required=*/true);
}

// The `path` of a volume source object (spec.local, spec.hostPath), or nullopt when absent.
std::optional<std::string> ReadSourcePath(const FieldReader& spec, std::string_view name) {
  if (!spec.Has(name)) return std::nullopt;
  return spec.Object(name).RequiredString("path");
}

void WriteSourcePath(FieldWriter& spec, std::string_view name,
                     const std::optional<std::string>& path) {
  if (!path) {
    spec.Erase(name);
    return;
  }
  spec.Object(
      name, [&](FieldWriter& source) { source.String("path", *path); },
      /*required=*/true);
}

std::optional<ClaimReference> ReadClaimRef(const FieldReader& spec) {
  if (!spec.Has("claimRef")) return std::nullopt;
  const FieldReader ref = spec.Object("claimRef");
  ClaimReference claim;
  claim.namespace_ = ref.String("namespace").value_or("");
  claim.name = ref.String("name").value_or("");
  claim.uid = ref.String("uid").value_or("");
  return claim;
}

void WriteClaimRef(FieldWriter& spec, const std::optional<ClaimReference>& claim) {
  if (!claim) {
    spec.Erase("claimRef");
    return;
  }
  spec.Object(
      "claimRef",
      [&](FieldWriter& ref) {
        ref.OmitEmptyString("namespace", claim->namespace_);
        ref.OmitEmptyString("name", claim->name);
        ref.OmitEmptyString("uid", claim->uid);
      },
      /*required=*/true);
}

void WritePhase(FieldWriter& writer, const std::string& phase) {
  writer.Object("status", [&](FieldWriter& status) { status.OmitEmptyString("phase", phase); });
}

}  // namespace

PersistentVolumeClaim DecodePersistentVolumeClaim(const Json& object, FieldErrors& errors,
                                                  const std::string& pointer) {
  FieldReader root(&object, pointer, &errors);
  PersistentVolumeClaim claim;
  claim.metadata = ReadObjectMeta(root.Object("metadata"));
  const FieldReader spec = root.Object("spec");
  claim.storage_class_name = spec.String("storageClassName");
  claim.volume_name = spec.String("volumeName").value_or("");
  claim.phase = root.Object("status").String("phase").value_or("");
  claim.raw = object;
  return claim;
}

Json EncodePersistentVolumeClaim(const PersistentVolumeClaim& value) {
  Json out = value.raw;
  FieldWriter writer(out);
  writer.String("apiVersion", "v1");
  writer.String("kind", "PersistentVolumeClaim");
  writer.Object(
      "metadata", [&](FieldWriter& meta) { WriteObjectMeta(value.metadata, meta); },
      /*required=*/true);
  writer.Object("spec", [&](FieldWriter& spec) {
    spec.OptionalString("storageClassName", value.storage_class_name);
    spec.OmitEmptyString("volumeName", value.volume_name);
  });
  WritePhase(writer, value.phase);
  return out;
}

PersistentVolume DecodePersistentVolume(const Json& object, FieldErrors& errors,
                                        const std::string& pointer) {
  FieldReader root(&object, pointer, &errors);
  PersistentVolume volume;
  volume.metadata = ReadObjectMeta(root.Object("metadata"));
  const FieldReader spec = root.Object("spec");
  volume.storage_class_name = spec.String("storageClassName").value_or("");
  volume.node_affinity = ReadVolumeNodeAffinity(spec);
  volume.claim_ref = ReadClaimRef(spec);
  volume.local_path = ReadSourcePath(spec, "local");
  volume.host_path = ReadSourcePath(spec, "hostPath");
  volume.phase = root.Object("status").String("phase").value_or("");
  volume.raw = object;
  return volume;
}

Json EncodePersistentVolume(const PersistentVolume& value) {
  Json out = value.raw;
  FieldWriter writer(out);
  writer.String("apiVersion", "v1");
  writer.String("kind", "PersistentVolume");
  writer.Object(
      "metadata", [&](FieldWriter& meta) { WriteObjectMeta(value.metadata, meta); },
      /*required=*/true);
  writer.Object("spec", [&](FieldWriter& spec) {
    WriteClaimRef(spec, value.claim_ref);
    WriteSourcePath(spec, "local", value.local_path);
    WriteSourcePath(spec, "hostPath", value.host_path);
    WriteVolumeNodeAffinity(value.node_affinity, spec);
    spec.OmitEmptyString("storageClassName", value.storage_class_name);
  });
  WritePhase(writer, value.phase);
  return out;
}

}  // namespace karpenter::api::codec
