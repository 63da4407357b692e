#include "api/codec/instance_type_codec.h"

#include <cmath>

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "api/codec/karpenter_common_codec.h"
#include "api/codec/object_meta_codec.h"

namespace karpenter::api::codec {
namespace {

constexpr const char* kKind = "InstanceType";

std::string TypeName(const Json& value) {
  if (value.is_object()) return "object";
  if (value.is_array()) return "array";
  if (value.is_string()) return "string";
  if (value.is_boolean()) return "boolean";
  if (value.is_number_float()) return "number";
  return "integer";
}

const Json* Member(const Json* object, const char* name) {
  if (object == nullptr || !object->is_object()) return nullptr;
  auto it = object->find(name);
  return it == object->end() || it->is_null() ? nullptr : &*it;
}

InstanceTypeOffering ReadOffering(const Json& item, const std::string& pointer,
                                  FieldErrors& errors) {
  FieldReader reader(&item, pointer, &errors);
  InstanceTypeOffering offering;
  offering.zone = reader.String("zone").value_or("");
  offering.capacity_type = reader.String("capacityType").value_or("");
  offering.available = reader.Bool("available").value_or(true);
  if (const Json* price = Member(&item, "price")) {
    if (price->is_number()) {
      offering.price = price->get<double>();
    } else {
      reader.Error("price", "must be a number, not " + TypeName(*price));
    }
  }
  return offering;
}

// The offerings list; read by hand because a price is a JSON number FieldReader has no
// accessor for. Type errors are worded as FieldReader words them.
std::vector<InstanceTypeOffering> ReadOfferings(const Json* spec, const std::string& pointer,
                                                FieldErrors& errors) {
  std::vector<InstanceTypeOffering> out;
  const Json* offerings = Member(spec, "offerings");
  if (offerings == nullptr) return out;
  if (!offerings->is_array()) {
    errors.push_back({pointer, "must be a list, not " + TypeName(*offerings)});
    return out;
  }
  for (std::size_t i = 0; i < offerings->size(); ++i) {
    std::string item_pointer = pointer + "/" + std::to_string(i);
    if (!(*offerings)[i].is_object()) {
      errors.push_back({item_pointer, "must be an object, not " + TypeName((*offerings)[i])});
      continue;
    }
    out.push_back(ReadOffering((*offerings)[i], item_pointer, errors));
  }
  return out;
}

}  // namespace

InstanceType DecodeInstanceType(const Json& object, FieldErrors& errors,
                                const std::string& pointer) {
  InstanceType type;
  type.raw = object;
  FieldReader root(&object, pointer, &errors);
  type.metadata = ReadObjectMeta(root.Object("metadata"));
  FieldReader spec = root.Object("spec");
  type.spec.capacity = spec.Resources("capacity");
  FieldReader overhead = spec.Object("overhead");
  type.spec.overhead.kube_reserved = overhead.Resources("kubeReserved");
  type.spec.overhead.system_reserved = overhead.Resources("systemReserved");
  type.spec.overhead.eviction_threshold = overhead.Resources("evictionThreshold");
  type.spec.requirements = ReadRequirements(spec, "requirements");
  type.spec.offerings =
      ReadOfferings(Member(&object, "spec"), spec.PointerOf("offerings"), errors);
  return type;
}

Json EncodeInstanceType(const InstanceType& value) {
  Json out = value.raw.is_object() ? value.raw : Json::object();
  FieldWriter w(out);
  w.String("apiVersion", std::string(kInstanceTypeApiVersion));
  w.String("kind", kKind);
  w.Object("metadata", [&](FieldWriter& m) { WriteObjectMeta(value.metadata, m); }, true);
  const InstanceTypeSpec& spec = value.spec;
  w.Object(
      "spec",
      [&](FieldWriter& s) {
        s.Resources("capacity", spec.capacity);
        s.Object("overhead", [&](FieldWriter& o) {
          o.Resources("kubeReserved", spec.overhead.kube_reserved);
          o.Resources("systemReserved", spec.overhead.system_reserved);
          o.Resources("evictionThreshold", spec.overhead.eviction_threshold);
        });
        WriteRequirements(s, "requirements", spec.requirements);
        WriteObjects<InstanceTypeOffering>(
            s, "offerings", spec.offerings, [](const InstanceTypeOffering& o, FieldWriter& e) {
              e.String("zone", o.zone);
              e.String("capacityType", o.capacity_type);
              e.OptionalDouble("price", o.price);
              if (!o.available || e.Existing("available") != nullptr) {
                e.OptionalBool("available", o.available);
              }
            });
      },
      true);
  return out;
}

}  // namespace karpenter::api::codec
