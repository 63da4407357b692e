// ValidateInstanceType (declared in api/karpenter_semantic_validation.h).
#include "api/karpenter_semantic_validation.h"

#include <initializer_list>
#include <set>
#include <string_view>
#include <utility>

#include "api/codec/field_reader.h"
#include "api/codec/instance_type_codec.h"
#include "api/codec/karpenter_common_codec.h"
#include "core/requirement.h"

namespace karpenter::api {
namespace {

using codec::FieldReader;
using codec::ReadRequirement;

using Names = std::initializer_list<std::string_view>;

const Json* Member(const Json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string Supported(std::string_view value, Names supported) {
  std::string message = "Unsupported value: " + Quoted(value) + ": supported values: ";
  bool first = true;
  for (std::string_view name : supported) {
    message += (first ? "" : ", ") + Quoted(name);
    first = false;
  }
  return message;
}

void CheckUnknownFields(const Json& object, const std::string& pointer, Names known,
                        FieldErrors& errors) {
  if (!object.is_object()) return;
  FieldErrors ignored;
  FieldReader reader(&object, pointer, &ignored);  // for PointerOf's escaping
  for (const auto& [key, value] : object.items()) {
    bool found = false;
    for (std::string_view name : known) found = found || key == name;
    if (!found) errors.push_back({reader.PointerOf(key), "unknown field " + Quoted(key)});
  }
}

// The element objects of list `name` with their pointers (non-objects were reported by the
// decoder already).
std::vector<std::pair<const Json*, std::string>> Elements(const Json* parent,
                                                          const std::string& pointer) {
  std::vector<std::pair<const Json*, std::string>> out;
  if (parent == nullptr || !parent->is_array()) return out;
  for (std::size_t i = 0; i < parent->size(); ++i) {
    if ((*parent)[i].is_object()) out.emplace_back(&(*parent)[i], pointer + "/" + std::to_string(i));
  }
  return out;
}

void CheckNonNegative(const Json* list, const std::string& pointer, FieldErrors& errors) {
  FieldErrors ignored;
  FieldReader reader(list, pointer, &ignored);
  if (list == nullptr || !list->is_object()) return;
  for (const auto& [name, value] : list->items()) {
    std::optional<core::Quantity> quantity = reader.Quantity(name);
    if (quantity && quantity->Sign() < 0) {
      errors.push_back({reader.PointerOf(name), "must be greater than or equal to 0"});
    }
  }
}

void CheckTypeMeta(const Json& object, FieldErrors& errors) {
  const std::pair<const char*, std::string_view> expected[] = {
      {"apiVersion", kInstanceTypeApiVersion}, {"kind", "InstanceType"}};
  for (const auto& [field, want] : expected) {
    const Json* value = Member(object, field);
    if (value == nullptr) {
      errors.push_back({std::string("/") + field, "Required value"});
    } else if (!value->is_string() || value->get<std::string>() != want) {
      errors.push_back({std::string("/") + field,
                        Supported(value->is_string() ? value->get<std::string>() : value->dump(),
                                  {want})});
    }
  }
  const Json* metadata = Member(object, "metadata");
  const Json* name = metadata == nullptr ? nullptr : Member(*metadata, "name");
  if (name == nullptr || (name->is_string() && name->get<std::string>().empty())) {
    errors.push_back({"/metadata/name", "Required value"});
  }
}

void CheckRequirements(const Json* list, const std::string& pointer, FieldErrors& errors) {
  for (const auto& [item, item_pointer] : Elements(list, pointer)) {
    CheckUnknownFields(*item, item_pointer, {"key", "operator", "values", "minValues"}, errors);
    for (const char* field : {"key", "operator"}) {
      if (Member(*item, field) == nullptr) errors.push_back({item_pointer + "/" + field, "Required value"});
    }
    FieldErrors decode_errors;  // already reported by the decoder
    core::NodeSelectorRequirement wire =
        ReadRequirement(FieldReader(item, item_pointer, &decode_errors));
    if (!decode_errors.empty() || Member(*item, "operator") == nullptr) continue;
    if ((wire.op == core::Operator::In || wire.op == core::Operator::NotIn) &&
        wire.values.empty()) {
      errors.push_back({item_pointer + "/values",
                        "Required value: must be specified when `operator` is 'In' or 'NotIn'"});
      continue;
    }
    if (Result<core::Requirement> parsed = core::Requirement::From(wire); !parsed) {
      errors.push_back({item_pointer, parsed.error().message});
    }
  }
}

void CheckOffering(const Json& item, const std::string& pointer, FieldErrors& errors) {
  CheckUnknownFields(item, pointer, {"zone", "capacityType", "price", "available"}, errors);
  const Json* zone = Member(item, "zone");
  if (zone == nullptr || (zone->is_string() && zone->get<std::string>().empty())) {
    errors.push_back({pointer + "/zone", "Required value"});
  }
  const Json* capacity_type = Member(item, "capacityType");
  if (capacity_type == nullptr) {
    errors.push_back({pointer + "/capacityType", "Required value"});
  } else if (capacity_type->is_string()) {
    const std::string& text = capacity_type->get_ref<const std::string&>();
    if (text != "spot" && text != "on-demand" && text != "reserved") {
      errors.push_back({pointer + "/capacityType", Supported(text, {"spot", "on-demand", "reserved"})});
    }
  }
  const Json* price = Member(item, "price");
  if (price == nullptr) {
    errors.push_back({pointer + "/price", "Required value"});
  } else if (price->is_number() && price->get<double>() < 0) {
    errors.push_back({pointer + "/price", "must be greater than or equal to 0"});
  }
}

void CheckOfferings(const Json* list, const std::string& pointer, FieldErrors& errors) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& [item, item_pointer] : Elements(list, pointer)) {
    CheckOffering(*item, item_pointer, errors);
    const Json* zone = Member(*item, "zone");
    const Json* capacity_type = Member(*item, "capacityType");
    if (zone == nullptr || capacity_type == nullptr || !zone->is_string() ||
        !capacity_type->is_string()) {
      continue;
    }
    if (!seen.emplace(zone->get<std::string>(), capacity_type->get<std::string>()).second) {
      errors.push_back({item_pointer, "Duplicate value: zone " + Quoted(zone->get<std::string>()) +
                                          " and capacityType " +
                                          Quoted(capacity_type->get<std::string>())});
    }
  }
}

void CheckSpec(const Json* spec, FieldErrors& errors) {
  if (spec == nullptr) {
    errors.push_back({"/spec", "Required value"});
    return;
  }
  CheckUnknownFields(*spec, "/spec", {"capacity", "overhead", "requirements", "offerings"}, errors);
  const Json* capacity = Member(*spec, "capacity");
  if (capacity == nullptr) {
    errors.push_back({"/spec/capacity", "Required value"});
  } else if (capacity->is_object() && capacity->empty()) {
    errors.push_back({"/spec/capacity", "Required value: must list at least one resource"});
  }
  CheckNonNegative(capacity, "/spec/capacity", errors);
  if (const Json* overhead = Member(*spec, "overhead")) {
    CheckUnknownFields(*overhead, "/spec/overhead",
                       {"kubeReserved", "systemReserved", "evictionThreshold"}, errors);
    for (const char* part : {"kubeReserved", "systemReserved", "evictionThreshold"}) {
      CheckNonNegative(Member(*overhead, part), std::string("/spec/overhead/") + part, errors);
    }
  }
  CheckRequirements(Member(*spec, "requirements"), "/spec/requirements", errors);
  CheckOfferings(Member(*spec, "offerings"), "/spec/offerings", errors);
}

}  // namespace

FieldErrors ValidateInstanceType(const Json& object) {
  FieldErrors errors;
  if (!object.is_object()) {
    errors.push_back({"", "must be an object"});
    return errors;
  }
  codec::DecodeInstanceType(object, errors);
  CheckUnknownFields(object, "", {"apiVersion", "kind", "metadata", "spec"}, errors);
  CheckTypeMeta(object, errors);
  CheckSpec(Member(object, "spec"), errors);
  return errors;
}

}  // namespace karpenter::api
