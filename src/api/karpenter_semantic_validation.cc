#include "api/karpenter_semantic_validation.h"

#include <string>

#include "api/codec/ec2_node_class_codec.h"
#include "api/codec/field_reader.h"
#include "api/codec/karpenter_common_codec.h"
#include "api/codec/node_claim_codec.h"
#include "api/codec/node_pool_codec.h"
#include "api/internal/cron_syntax.h"
#include "api/kinds.h"
#include "core/requirement.h"

namespace karpenter::api {
namespace {

// The member `name` of `object` when it is an array, else nullptr.
const Json* ArrayAt(const Json* object, std::string_view name) {
  if (object == nullptr || !object->is_object()) return nullptr;
  auto it = object->find(name);
  return it != object->end() && it->is_array() ? &*it : nullptr;
}

const Json* ObjectAt(const Json* object, std::string_view name) {
  if (object == nullptr || !object->is_object()) return nullptr;
  auto it = object->find(name);
  return it != object->end() && it->is_object() ? &*it : nullptr;
}

bool IsBounded(core::Operator op) {
  return op == core::Operator::Gt || op == core::Operator::Lt || op == core::Operator::Gte ||
         op == core::Operator::Lte;
}

// Gt/Lt/Gte/Lte need one non-negative integer value. Elements are re-read one by one so each
// error points at its own index (decode errors were reported already).
void CheckRequirements(const Json* list, const std::string& pointer, FieldErrors& errors) {
  if (list == nullptr) return;
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (!(*list)[i].is_object()) continue;
    const std::string item_pointer = pointer + "/" + std::to_string(i);
    FieldErrors ignored;
    core::NodeSelectorRequirement wire =
        codec::ReadRequirement(codec::FieldReader(&(*list)[i], item_pointer, &ignored));
    if (!ignored.empty() || !IsBounded(wire.op)) continue;
    std::optional<int64_t> value =
        wire.values.size() == 1 ? core::ParseGoInt(wire.values[0]) : std::nullopt;
    if (!value || *value < 0) {
      errors.push_back({item_pointer + "/values",
                        "key " + wire.key + " with operator " +
                            std::string(core::ToString(wire.op)) +
                            " must have a single positive integer value"});
    }
  }
}

void CheckBudgetSchedules(const Json* budgets, const std::string& pointer, FieldErrors& errors) {
  if (budgets == nullptr) return;
  for (std::size_t i = 0; i < budgets->size(); ++i) {
    const Json& budget = (*budgets)[i];
    if (!budget.is_object()) continue;
    auto schedule = budget.find("schedule");
    if (schedule == budget.end() || !schedule->is_string()) continue;
    const std::string& text = schedule->get_ref<const std::string&>();
    if (Result<void> checked = internal::CheckCronSyntax(text); !checked) {
      errors.push_back({pointer + "/" + std::to_string(i) + "/schedule",
                        "invalid cron schedule \"" + text + "\": " + checked.error().message});
    }
  }
}

}  // namespace

FieldErrors ValidateKarpenterSemantics(const Json& object) {
  FieldErrors errors;
  const Json* spec = ObjectAt(&object, "spec");
  switch (KindOf(object)) {
    case Kind::kNodePool: {
      codec::DecodeNodePool(object, errors);
      const Json* template_spec = ObjectAt(ObjectAt(spec, "template"), "spec");
      CheckRequirements(ArrayAt(template_spec, "requirements"),
                        "/spec/template/spec/requirements", errors);
      CheckBudgetSchedules(ArrayAt(ObjectAt(spec, "disruption"), "budgets"),
                           "/spec/disruption/budgets", errors);
      break;
    }
    case Kind::kNodeClaim:
      codec::DecodeNodeClaim(object, errors);
      CheckRequirements(ArrayAt(spec, "requirements"), "/spec/requirements", errors);
      break;
    case Kind::kEC2NodeClass:
      codec::DecodeEC2NodeClass(object, errors);
      break;
    default:
      break;
  }
  return errors;
}

}  // namespace karpenter::api
