#include "api/codec/taint_codec.h"

#include <optional>
#include <set>
#include <string>
#include <utility>

#include "api/codec/internal/kube_codec_util.h"

namespace karpenter::api::codec {
namespace {

using internal::InvalidString;
using internal::NotSupported;

const std::initializer_list<std::string_view> kEffects = {"NoSchedule", "PreferNoSchedule",
                                                              "NoExecute"};

// `effect` receives the effect as written, for the duplicate check.
core::Taint ReadTaint(const FieldReader& reader, std::string& effect) {
  core::Taint taint;
  taint.key = reader.String("key").value_or("");
  if (taint.key.empty()) reader.Error("key", InvalidString("", internal::kEmptyNamePart));
  taint.value = reader.String("value").value_or("");
  effect = reader.String("effect").value_or("");
  if (effect.empty()) {
    reader.Error("effect", internal::Required());
  } else if (Result<core::TaintEffect> parsed = core::ParseTaintEffect(effect)) {
    taint.effect = *parsed;
  } else {
    reader.Error("effect", NotSupported(effect, kEffects));
  }
  return taint;
}

}  // namespace

std::vector<core::Taint> ReadTaints(const FieldReader& parent, std::string_view name) {
  std::vector<core::Taint> taints;
  std::set<std::pair<std::string, std::string>> seen;
  parent.Objects(name, [&](const FieldReader& item) {
    std::string effect;
    core::Taint taint = ReadTaint(item, effect);
    if (!seen.emplace(taint.key, effect).second) {
      item.Error("", internal::Duplicate(taint.key + ":" + effect,
                                         "taints must be unique by key and effect pair"));
    }
    taints.push_back(std::move(taint));
  });
  return taints;
}

void WriteTaint(const core::Taint& taint, FieldWriter& writer) {
  writer.String("key", taint.key);
  writer.OmitEmptyString("value", taint.value);
  writer.String("effect", std::string(core::ToString(taint.effect)));
}

core::Toleration ReadToleration(const FieldReader& reader) {
  core::Toleration toleration;
  toleration.key = reader.String("key").value_or("");
  toleration.value = reader.String("value").value_or("");
  toleration.toleration_seconds = reader.Int("tolerationSeconds");
  const std::string op = reader.String("operator").value_or("");
  const std::string effect = reader.String("effect").value_or("");

  if (Result<core::TolerationOperator> parsed = core::ParseTolerationOperator(op)) {
    toleration.op = *parsed;
    if (toleration.key.empty() && *parsed != core::TolerationOperator::Exists) {
      reader.Error("operator", InvalidString(op, "operator must be Exists when `key` is empty, "
                                                 "which means \"match all values and all keys\""));
    }
    if (*parsed == core::TolerationOperator::Exists && !toleration.value.empty()) {
      reader.Error("operator", InvalidString(op, "value must be empty when `operator` is 'Exists'"));
    }
  } else {
    reader.Error("operator", NotSupported(op, {"Equal", "Exists"}));
  }

  if (Result<std::optional<core::TaintEffect>> parsed = core::ParseTolerationEffect(effect)) {
    toleration.effect = *parsed;
  } else {
    reader.Error("effect", NotSupported(effect, kEffects));
  }
  if (toleration.toleration_seconds && effect != "NoExecute") {
    reader.Error("effect", InvalidString(effect, "effect must be 'NoExecute' when "
                                                 "`tolerationSeconds` is set"));
  }
  return toleration;
}

void WriteToleration(const core::Toleration& toleration, FieldWriter& writer) {
  writer.OmitEmptyString("key", toleration.key);
  // An absent operator means Equal, so Equal is only written where the user wrote it.
  const std::string op(core::ToString(toleration.op));
  const Json* existing = writer.Existing("operator");
  if (toleration.op != core::TolerationOperator::Equal ||
      (existing != nullptr && !existing->is_null() && *existing != "")) {
    writer.String("operator", op);
  }
  writer.OmitEmptyString("value", toleration.value);
  writer.OmitEmptyString("effect",
                         toleration.effect ? std::string(core::ToString(*toleration.effect)) : "");
  writer.OptionalInt("tolerationSeconds", toleration.toleration_seconds);
}

}  // namespace karpenter::api::codec
