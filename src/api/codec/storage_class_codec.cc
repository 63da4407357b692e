#include "api/codec/storage_class_codec.h"

#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "api/codec/internal/kube_codec_util.h"
#include "api/codec/object_meta_codec.h"

namespace karpenter::api::codec {
namespace {

// What a term selects, for spotting duplicate terms: key -> allowed values.
using TermSelection = std::map<std::string, std::set<std::string>>;

std::optional<VolumeBindingMode> ReadVolumeBindingMode(const FieldReader& root) {
  std::optional<std::string> text = root.String("volumeBindingMode");
  if (!text) return std::nullopt;
  std::optional<std::size_t> index =
      internal::ReadEnum(root, "volumeBindingMode", *text, {"Immediate", "WaitForFirstConsumer"});
  if (!index) return std::nullopt;
  return *index == 0 ? VolumeBindingMode::kImmediate : VolumeBindingMode::kWaitForFirstConsumer;
}

// One matchLabelExpressions entry, checked as the API server checks it: values are required
// and a set, the key is a label name.
TopologySelectorLabelRequirement ReadLabelRequirement(const FieldReader& item,
                                                      FieldErrors& errors) {
  TopologySelectorLabelRequirement requirement;
  requirement.key = item.String("key").value_or("");
  requirement.values = item.StringList("values");
  if (requirement.values.empty()) item.Error("values", internal::Required());
  std::set<std::string> seen;
  for (std::size_t i = 0; i < requirement.values.size(); ++i) {
    if (!seen.insert(requirement.values[i]).second) {
      errors.push_back({item.PointerOf("values") + "/" + std::to_string(i),
                        internal::Duplicate(requirement.values[i])});
    }
  }
  if (requirement.key.empty()) {
    item.Error("key", internal::InvalidString("", internal::kEmptyNamePart));
  }
  return requirement;
}

TopologySelectorTerm ReadTerm(const FieldReader& reader, FieldErrors& errors,
                              TermSelection& selection) {
  TopologySelectorTerm term;
  reader.Objects("matchLabelExpressions", [&](const FieldReader& item) {
    TopologySelectorLabelRequirement requirement = ReadLabelRequirement(item, errors);
    if (selection.contains(requirement.key)) {
      item.Error("key", internal::Duplicate(requirement.key));
    }
    selection[requirement.key] =
        std::set<std::string>(requirement.values.begin(), requirement.values.end());
    term.match_label_expressions.push_back(std::move(requirement));
  });
  return term;
}

std::vector<TopologySelectorTerm> ReadAllowedTopologies(const FieldReader& root,
                                                        FieldErrors& errors) {
  std::vector<TopologySelectorTerm> terms;
  std::vector<TermSelection> selections;
  root.Objects("allowedTopologies", [&](const FieldReader& item) {
    TermSelection selection;
    terms.push_back(ReadTerm(item, errors, selection));
    for (const TermSelection& earlier : selections) {
      if (earlier == selection) item.Error("matchLabelExpressions", internal::Duplicate(""));
    }
    selections.push_back(std::move(selection));
  });
  return terms;
}

void WriteAllowedTopologies(const std::vector<TopologySelectorTerm>& terms, FieldWriter& writer) {
  writer.ObjectList("allowedTopologies", terms.size(), [&](std::size_t i, FieldWriter& term) {
    const auto& expressions = terms[i].match_label_expressions;
    term.ObjectList("matchLabelExpressions", expressions.size(),
                    [&](std::size_t j, FieldWriter& expression) {
                      expression.String("key", expressions[j].key);
                      expression.StringList("values", expressions[j].values);
                    });
  });
}

}  // namespace

StorageClass DecodeStorageClass(const Json& object, FieldErrors& errors,
                                const std::string& pointer) {
  FieldReader root(&object, pointer, &errors);
  StorageClass value;
  value.metadata = ReadObjectMeta(root.Object("metadata"));
  std::optional<std::string> provisioner = root.String("provisioner");
  if (!root.Has("provisioner") || (provisioner && provisioner->empty())) {
    root.Error("provisioner", internal::Required());
  }
  value.provisioner = provisioner.value_or("");
  value.volume_binding_mode = ReadVolumeBindingMode(root);
  value.allowed_topologies = ReadAllowedTopologies(root, errors);
  value.raw = object;
  return value;
}

Json EncodeStorageClass(const StorageClass& value) {
  Json out = value.raw;
  FieldWriter writer(out);
  writer.String("apiVersion", "storage.k8s.io/v1");
  writer.String("kind", "StorageClass");
  writer.Object(
      "metadata", [&](FieldWriter& meta) { WriteObjectMeta(value.metadata, meta); },
      /*required=*/true);
  writer.String("provisioner", value.provisioner);
  const auto& mode = value.volume_binding_mode;
  writer.OptionalString("volumeBindingMode",
                        mode ? std::optional<std::string>(ToString(*mode)) : std::nullopt);
  WriteAllowedTopologies(value.allowed_topologies, writer);
  return out;
}

}  // namespace karpenter::api::codec
