#include "api/codec/affinity_codec.h"

#include <string>
#include <string_view>

#include "api/codec/internal/kube_codec_util.h"
#include "api/codec/selector_codec.h"

namespace karpenter::api::codec {
namespace {

constexpr std::string_view kRequired = "requiredDuringSchedulingIgnoredDuringExecution";
constexpr std::string_view kPreferred = "preferredDuringSchedulingIgnoredDuringExecution";

int32_t ReadWeight(const FieldReader& reader) {
  int32_t weight = internal::ReadInt32(reader, "weight").value_or(0);
  if (weight <= 0 || weight > 100) {
    reader.Error("weight", internal::InvalidInt(weight, "must be in the range 1-100"));
  }
  return weight;
}

NodeAffinity ReadNodeAffinity(const FieldReader& reader) {
  NodeAffinity affinity;
  if (reader.Has(kRequired)) {
    FieldReader required = reader.Object(kRequired);
    required.Objects("nodeSelectorTerms", [&](const FieldReader& item) {
      affinity.required.push_back(ReadNodeSelectorTerm(item));
    });
    if (affinity.required.empty()) {
      required.Error("nodeSelectorTerms",
                     internal::Required("must have at least one node selector term"));
    }
  }
  reader.Objects(kPreferred, [&](const FieldReader& item) {
    PreferredSchedulingTerm term;
    term.weight = ReadWeight(item);
    term.preference = ReadNodeSelectorTerm(item.Object("preference"));
    affinity.preferred.push_back(std::move(term));
  });
  return affinity;
}

PodAffinityTerm ReadPodAffinityTerm(const FieldReader& reader) {
  PodAffinityTerm term;
  term.label_selector = ReadOptionalLabelSelector(reader, "labelSelector");
  term.namespaces = reader.StringList("namespaces");
  term.namespace_selector = ReadOptionalLabelSelector(reader, "namespaceSelector");
  term.topology_key = reader.String("topologyKey").value_or("");
  if (term.topology_key.empty()) reader.Error("topologyKey", internal::Required("can not be empty"));
  term.match_label_keys = reader.StringList("matchLabelKeys");
  term.mismatch_label_keys = reader.StringList("mismatchLabelKeys");
  return term;
}

PodAffinity ReadPodAffinity(const FieldReader& reader) {
  PodAffinity affinity;
  reader.Objects(kRequired, [&](const FieldReader& item) {
    affinity.required.push_back(ReadPodAffinityTerm(item));
  });
  reader.Objects(kPreferred, [&](const FieldReader& item) {
    WeightedPodAffinityTerm term;
    term.weight = ReadWeight(item);
    term.term = ReadPodAffinityTerm(item.Object("podAffinityTerm"));
    affinity.preferred.push_back(std::move(term));
  });
  return affinity;
}

void WriteNodeAffinity(const NodeAffinity& affinity, FieldWriter& writer) {
  if (affinity.required.empty()) {
    // A required selector without terms is invalid, so "no requirement" is its absence.
    const Json* existing = writer.Existing(kRequired);
    const bool has_terms = existing != nullptr && existing->is_object() &&
                           existing->contains("nodeSelectorTerms") &&
                           !(*existing)["nodeSelectorTerms"].empty();
    if (has_terms) writer.Erase(kRequired);
  } else {
    writer.Object(kRequired, [&](FieldWriter& required) {
      required.ObjectList("nodeSelectorTerms", affinity.required.size(),
                          [&](std::size_t i, FieldWriter& item) {
                            WriteNodeSelectorTerm(affinity.required[i], item);
                          });
    });
  }
  writer.ObjectList(kPreferred, affinity.preferred.size(), [&](std::size_t i, FieldWriter& item) {
    item.Int("weight", affinity.preferred[i].weight);
    item.Object("preference", [&](FieldWriter& preference) {
      WriteNodeSelectorTerm(affinity.preferred[i].preference, preference);
    }, /*required=*/true);
  });
}

void WritePodAffinityTerm(const PodAffinityTerm& term, FieldWriter& writer) {
  WriteOptionalLabelSelector(term.label_selector, "labelSelector", writer);
  writer.StringList("namespaces", term.namespaces);
  WriteOptionalLabelSelector(term.namespace_selector, "namespaceSelector", writer);
  writer.String("topologyKey", term.topology_key);
  writer.StringList("matchLabelKeys", term.match_label_keys);
  writer.StringList("mismatchLabelKeys", term.mismatch_label_keys);
}

void WritePodAffinity(const PodAffinity& affinity, FieldWriter& writer) {
  writer.ObjectList(kRequired, affinity.required.size(), [&](std::size_t i, FieldWriter& item) {
    WritePodAffinityTerm(affinity.required[i], item);
  });
  writer.ObjectList(kPreferred, affinity.preferred.size(), [&](std::size_t i, FieldWriter& item) {
    item.Int("weight", affinity.preferred[i].weight);
    item.Object("podAffinityTerm", [&](FieldWriter& term) {
      WritePodAffinityTerm(affinity.preferred[i].term, term);
    }, /*required=*/true);
  });
}

}  // namespace

Affinity ReadAffinity(const FieldReader& reader) {
  Affinity affinity;
  affinity.node_affinity = ReadNodeAffinity(reader.Object("nodeAffinity"));
  affinity.pod_affinity = ReadPodAffinity(reader.Object("podAffinity"));
  affinity.pod_anti_affinity = ReadPodAffinity(reader.Object("podAntiAffinity"));
  return affinity;
}

void WriteAffinity(const Affinity& affinity, FieldWriter& writer) {
  writer.Object("nodeAffinity",
                [&](FieldWriter& node) { WriteNodeAffinity(affinity.node_affinity, node); });
  writer.Object("podAffinity",
                [&](FieldWriter& pod) { WritePodAffinity(affinity.pod_affinity, pod); });
  writer.Object("podAntiAffinity",
                [&](FieldWriter& pod) { WritePodAffinity(affinity.pod_anti_affinity, pod); });
}

}  // namespace karpenter::api::codec
