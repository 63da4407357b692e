#include "api/codec/node_pool_codec.h"

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "api/codec/karpenter_common_codec.h"
#include "api/codec/object_meta_codec.h"

namespace karpenter::api::codec {
namespace {

constexpr const char* kApiVersion = "karpenter.sh/v1";
constexpr const char* kKind = "NodePool";

Budget ReadBudget(const FieldReader& reader, FieldErrors& errors) {
  Budget budget;
  if (std::optional<std::string> nodes = reader.String("nodes")) {
    if (Result<IntOrPercent> parsed = ParseBudgetNodes(*nodes)) {
      budget.nodes = *parsed;
    } else {
      reader.Error("nodes", parsed.error().message);
    }
  }
  std::vector<std::string> reasons = reader.StringList("reasons");
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    if (Result<DisruptionReason> reason = ParseDisruptionReason(reasons[i])) {
      budget.reasons.push_back(*reason);
    } else {
      errors.push_back(
          {reader.PointerOf("reasons") + "/" + std::to_string(i), reason.error().message});
    }
  }
  budget.schedule = reader.String("schedule");
  budget.duration = ReadDuration(reader, "duration");
  return budget;
}

Disruption ReadDisruption(const FieldReader& reader, FieldErrors& errors) {
  Disruption disruption;
  if (std::optional<std::string> policy = reader.String("consolidationPolicy")) {
    if (Result<ConsolidationPolicy> parsed = ParseConsolidationPolicy(*policy)) {
      disruption.consolidation_policy = *parsed;
    } else {
      reader.Error("consolidationPolicy", parsed.error().message);
    }
  }
  disruption.consolidate_after = ReadNillableDuration(reader, "consolidateAfter");
  reader.Objects("budgets", [&](const FieldReader& item) {
    disruption.budgets.push_back(ReadBudget(item, errors));
  });
  return disruption;
}

NodePoolSpec ReadSpec(const FieldReader& spec, FieldErrors& errors) {
  NodePoolSpec out;
  FieldReader tmpl = spec.Object("template");
  FieldReader tmpl_metadata = tmpl.Object("metadata");
  out.template_.metadata.labels = tmpl_metadata.StringMap("labels");
  out.template_.metadata.annotations = tmpl_metadata.StringMap("annotations");
  ReadNodeClaimTemplateSpec(tmpl.Object("spec"), out.template_.spec);
  out.disruption = ReadDisruption(spec.Object("disruption"), errors);
  out.limits = spec.Resources("limits");
  out.weight = ReadInt32(spec, "weight");
  out.replicas = spec.Int("replicas");
  return out;
}

NodePoolStatus ReadStatus(const FieldReader& status) {
  NodePoolStatus out;
  out.resources = status.Resources("resources");
  out.nodes = status.Int("nodes");
  out.node_class_observed_generation = status.Int("nodeClassObservedGeneration").value_or(0);
  out.conditions = ReadConditions(status, "conditions");
  return out;
}

void WriteBudget(const Budget& budget, FieldWriter& w) {
  // An unchanged value keeps its spelling ("010" stays "010").
  const Json* existing = w.Existing("nodes");
  bool unchanged = false;
  if (existing != nullptr && existing->is_string()) {
    Result<IntOrPercent> parsed = ParseBudgetNodes(existing->get_ref<const std::string&>());
    unchanged = parsed && *parsed == budget.nodes;
  }
  if (!unchanged) w.String("nodes", budget.nodes.ToString());
  std::vector<std::string> reasons;
  for (DisruptionReason reason : budget.reasons) reasons.emplace_back(ToString(reason));
  w.StringList("reasons", reasons);
  w.OptionalString("schedule", budget.schedule);
  w.Duration("duration", budget.duration);
}

void WriteDisruption(const Disruption& disruption, FieldWriter& w) {
  std::optional<std::string> policy;
  if (disruption.consolidation_policy) {
    policy = std::string(ToString(*disruption.consolidation_policy));
  }
  w.OptionalString("consolidationPolicy", policy);
  w.NillableDuration("consolidateAfter", disruption.consolidate_after);
  WriteObjects<Budget>(w, "budgets", disruption.budgets, WriteBudget);
}

void WriteSpec(const NodePoolSpec& spec, FieldWriter& w) {
  w.Object(
      "template",
      [&](FieldWriter& tmpl) {
        tmpl.Object("metadata", [&](FieldWriter& metadata) {
          metadata.StringMap("labels", spec.template_.metadata.labels);
          metadata.StringMap("annotations", spec.template_.metadata.annotations);
        });
        tmpl.Object(
            "spec", [&](FieldWriter& s) { WriteNodeClaimTemplateSpec(spec.template_.spec, s); },
            /*required=*/true);
      },
      /*required=*/true);
  w.Object("disruption", [&](FieldWriter& d) { WriteDisruption(spec.disruption, d); });
  w.Resources("limits", spec.limits);
  w.OptionalInt("weight", spec.weight);
  w.OptionalInt("replicas", spec.replicas);
}

void WriteStatus(const NodePoolStatus& status, FieldWriter& w) {
  w.Resources("resources", status.resources);
  w.OptionalInt("nodes", status.nodes);
  w.OmitEmptyInt("nodeClassObservedGeneration", status.node_class_observed_generation);
  WriteConditions(w, "conditions", status.conditions);
}

}  // namespace

NodePool DecodeNodePool(const Json& object, FieldErrors& errors, const std::string& pointer) {
  NodePool pool;
  pool.raw = object;
  FieldReader root(&object, pointer, &errors);
  pool.metadata = ReadObjectMeta(root.Object("metadata"));
  pool.spec = ReadSpec(root.Object("spec"), errors);
  pool.status = ReadStatus(root.Object("status"));
  return pool;
}

Json EncodeNodePool(const NodePool& value) {
  Json out = value.raw.is_object() ? value.raw : Json::object();
  FieldWriter w(out);
  w.String("apiVersion", kApiVersion);
  w.String("kind", kKind);
  w.Object("metadata", [&](FieldWriter& m) { WriteObjectMeta(value.metadata, m); }, true);
  w.Object("spec", [&](FieldWriter& s) { WriteSpec(value.spec, s); }, true);
  w.Object("status", [&](FieldWriter& s) { WriteStatus(value.status, s); });
  return out;
}

}  // namespace karpenter::api::codec
