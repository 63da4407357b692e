#include "api/codec/topology_spread_codec.h"

#include <string>

#include "api/codec/internal/kube_codec_util.h"
#include "api/codec/selector_codec.h"

namespace karpenter::api::codec {
namespace {

constexpr std::string_view kNotPositive = "must be greater than zero";

std::optional<NodeInclusionPolicy> ReadPolicy(const FieldReader& reader, std::string_view name) {
  std::optional<std::string> text = reader.String(name);
  if (!text) return std::nullopt;
  std::optional<std::size_t> index = internal::ReadEnum(reader, name, *text, {"Honor", "Ignore"});
  if (!index) return std::nullopt;
  return *index == 0 ? NodeInclusionPolicy::kHonor : NodeInclusionPolicy::kIgnore;
}

// `action` receives whenUnsatisfiable as written, for the duplicate check.
TopologySpreadConstraint ReadConstraint(const FieldReader& reader, std::string& action) {
  TopologySpreadConstraint constraint;
  constraint.max_skew = internal::ReadInt32(reader, "maxSkew").value_or(0);
  if (constraint.max_skew <= 0) {
    reader.Error("maxSkew", internal::InvalidInt(constraint.max_skew, kNotPositive));
  }
  constraint.topology_key = reader.String("topologyKey").value_or("");
  if (constraint.topology_key.empty()) {
    reader.Error("topologyKey", internal::Required("can not be empty"));
  }
  action = reader.String("whenUnsatisfiable").value_or("");
  std::optional<std::size_t> index =
      internal::ReadEnum(reader, "whenUnsatisfiable", action, {"DoNotSchedule", "ScheduleAnyway"});
  if (index == 1) constraint.when_unsatisfiable = UnsatisfiableConstraintAction::kScheduleAnyway;
  constraint.label_selector = ReadOptionalLabelSelector(reader, "labelSelector");
  constraint.min_domains = internal::ReadInt32(reader, "minDomains");
  if (constraint.min_domains) {
    if (*constraint.min_domains <= 0) {
      reader.Error("minDomains", internal::InvalidInt(*constraint.min_domains, kNotPositive));
    }
    if (action != "DoNotSchedule") {
      reader.Error("minDomains",
                   internal::InvalidInt(*constraint.min_domains,
                                        "can only use minDomains if "
                                        "whenUnsatisfiable=DoNotSchedule, not " + action));
    }
  }
  constraint.node_affinity_policy = ReadPolicy(reader, "nodeAffinityPolicy");
  constraint.node_taints_policy = ReadPolicy(reader, "nodeTaintsPolicy");
  constraint.match_label_keys = reader.StringList("matchLabelKeys");
  return constraint;
}

void WritePolicy(FieldWriter& writer, std::string_view name,
                 const std::optional<NodeInclusionPolicy>& policy) {
  writer.OptionalString(name, policy ? std::optional<std::string>(ToString(*policy))
                                     : std::nullopt);
}

}  // namespace

std::vector<TopologySpreadConstraint> ReadTopologySpreadConstraints(const FieldReader& spec,
                                                                    std::string_view name) {
  std::vector<TopologySpreadConstraint> constraints;
  std::vector<FieldReader> items;
  std::vector<std::string> actions;
  spec.Objects(name, [&](const FieldReader& item) {
    constraints.push_back(ReadConstraint(item, actions.emplace_back()));
    items.push_back(item);
  });
  // As the API server, each constraint that a later one repeats (same topology key and
  // whenUnsatisfiable) is reported once.
  for (std::size_t i = 0; i < constraints.size(); ++i) {
    for (std::size_t j = i + 1; j < constraints.size(); ++j) {
      if (constraints[i].topology_key == constraints[j].topology_key &&
          actions[i] == actions[j]) {
        items[i].Error("", internal::Duplicate("{" + constraints[i].topology_key + ", " +
                                               actions[i] + "}"));
        break;
      }
    }
  }
  return constraints;
}

void WriteTopologySpreadConstraint(const TopologySpreadConstraint& constraint,
                                   FieldWriter& writer) {
  writer.Int("maxSkew", constraint.max_skew);
  writer.String("topologyKey", constraint.topology_key);
  writer.String("whenUnsatisfiable", std::string(ToString(constraint.when_unsatisfiable)));
  WriteOptionalLabelSelector(constraint.label_selector, "labelSelector", writer);
  writer.OptionalInt("minDomains", constraint.min_domains);
  WritePolicy(writer, "nodeAffinityPolicy", constraint.node_affinity_policy);
  WritePolicy(writer, "nodeTaintsPolicy", constraint.node_taints_policy);
  writer.StringList("matchLabelKeys", constraint.match_label_keys);
}

}  // namespace karpenter::api::codec
