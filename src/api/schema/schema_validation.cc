// The public entry points of api/schema_validation.h over the embedded CRDs.
#include "api/schema_validation.h"

#include <optional>
#include <string>

#include "api/schema/crd_registry.h"
#include "api/schema/defaulter.h"
#include "api/schema/messages.h"
#include "api/schema/validator.h"

namespace karpenter::api {
namespace {

std::string StringMember(const Json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

const schema::CrdSchema* CrdOf(const Json& object) {
  return schema::FindEmbeddedCrd(StringMember(object, "apiVersion"),
                                 StringMember(object, "kind"));
}

// The error for an object no embedded CRD serves: the version if the kind is known, else the
// kind.
FieldError UnknownKind(const Json& object) {
  std::string kind = StringMember(object, "kind");
  std::vector<Json> versions;
  std::vector<Json> kinds;
  for (const schema::CrdSchema& crd : schema::EmbeddedCrds()) {
    if (crd.kind == kind) versions.push_back(crd.ApiVersion());
    kinds.push_back(crd.kind);
  }
  Json api_version = object.is_object() && object.contains("apiVersion") ? object["apiVersion"]
                                                                         : Json("");
  if (!versions.empty()) {
    return {"/apiVersion", schema::UnsupportedValue(api_version, versions)};
  }
  Json kind_value = object.is_object() && object.contains("kind") ? object["kind"] : Json("");
  return {"/kind", schema::UnsupportedValue(kind_value, kinds)};
}

}  // namespace

bool IsSchemaKind(std::string_view api_version, std::string_view kind) {
  return schema::FindEmbeddedCrd(api_version, kind) != nullptr;
}

SchemaReport ValidateAgainstCrd(const Json& object, const Json* old_object) {
  SchemaReport report;
  const schema::CrdSchema* crd = CrdOf(object);
  if (crd == nullptr) {
    report.errors.push_back(UnknownKind(object));
    return report;
  }
  Json defaulted = object;
  schema::ApplyDefaults(*crd->root, defaulted);
  std::optional<Json> old_defaulted;
  if (old_object != nullptr) {
    old_defaulted = *old_object;
    schema::ApplyDefaults(*crd->root, *old_defaulted);
  }
  schema::ValidationOutput out =
      schema::Validate(*crd->root, defaulted, old_defaulted ? &*old_defaulted : nullptr);
  report.errors = std::move(out.errors);
  report.warnings = std::move(out.warnings);
  return report;
}

void ApplyCrdDefaults(Json& object) {
  if (const schema::CrdSchema* crd = CrdOf(object)) schema::ApplyDefaults(*crd->root, object);
}

}  // namespace karpenter::api
