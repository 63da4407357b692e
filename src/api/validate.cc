#include "api/validate.h"

#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "api/convert.h"
#include "api/field_error.h"
#include "api/karpenter_semantic_validation.h"
#include "api/kinds.h"
#include "api/kube_validation.h"
#include "api/schema_validation.h"

namespace karpenter::api {
namespace {

// Collects diagnostics for objects of one document, locating pointers in that document.
class DocumentReporter {
 public:
  DocumentReporter(const Document& doc, std::vector<Diagnostic>& out) : doc_(doc), out_(out) {}

  // `base` locates the object in the document ("" or "/items/3"); `pointer` is inside it.
  void Report(Severity severity, const Json& object, const std::string& base,
              const std::string& pointer, std::string message) {
    Diagnostic d;
    d.severity = severity;
    d.file = doc_.file;
    SourcePosition position = doc_.PositionOf(base + pointer);
    d.line = position.line;
    d.column = position.column;
    d.object = DescribeObject(object);
    d.field = FieldPathFromPointer(pointer);
    d.message = std::move(message);
    out_.push_back(std::move(d));
  }

  void ReportAll(Severity severity, const Json& object, const std::string& base,
                 const FieldErrors& errors, const std::string& prefix = "") {
    for (const FieldError& e : errors)
      Report(severity, object, base, e.pointer, prefix + e.message);
  }

 private:
  const Document& doc_;
  std::vector<Diagnostic>& out_;
};

void ValidateCustomResource(const Json& object, const std::string& base, DocumentReporter& report,
                            const std::string& prefix = "") {
  Json defaulted = object;
  ApplyCrdDefaults(defaulted);
  SchemaReport schema = ValidateAgainstCrd(defaulted);
  report.ReportAll(Severity::kError, object, base, schema.errors, prefix);
  report.ReportAll(Severity::kWarning, object, base, schema.warnings, prefix);
  // The typed decoding only makes sense on a structurally valid object.
  if (schema.errors.empty()) {
    report.ReportAll(Severity::kError, object, base, ValidateKarpenterSemantics(defaulted), prefix);
  }
}

// Older Karpenter APIs are no longer served upstream: say so, and check what they convert to,
// so a user learns about both problems at once.
void ValidateLegacy(const Json& object, const std::string& base, DocumentReporter& report) {
  report.Report(Severity::kWarning, object, base, "",
                StringMember(object, "apiVersion") + " " + StringMember(object, "kind") +
                    " is not served by Karpenter v1; `karpenter convert` rewrites it as v1");
  ConversionResult converted = ConvertToV1({object});
  for (const ConversionNote& e : converted.errors) {
    report.Report(Severity::kError, object, base, e.pointer, "cannot convert to v1: " + e.message);
  }
  for (const Json& result : converted.objects) {
    if (IsSchemaKind(StringMember(result, "apiVersion"), StringMember(result, "kind"))) {
      ValidateCustomResource(result, base, report, "after conversion to v1: ");
    }
  }
}

void ValidateObject(const Json& object, const std::string& base, DocumentReporter& report) {
  if (!object.is_object()) {
    report.Report(Severity::kError, object, base, "",
                  "a manifest must be an object with apiVersion, kind and metadata");
    return;
  }
  const Kind kind = KindOf(object);
  switch (kind) {
    case Kind::kNodePool:
    case Kind::kNodeClaim:
    case Kind::kEC2NodeClass:
      ValidateCustomResource(object, base, report);
      return;
    case Kind::kInstanceType:
      report.ReportAll(Severity::kError, object, base, ValidateInstanceType(object));
      return;
    case Kind::kScenario:
      // Its fields and the manifests it holds are checked where it is read, with file:line.
      report.Report(Severity::kWarning, object, base, "",
                    "a replay scenario: `karpenter replay` checks and runs it");
      return;
    case Kind::kUnknown:
      if (!object.contains("apiVersion") || !object.contains("kind")) {
        report.Report(Severity::kError, object, base, "",
                      "apiVersion and kind are required to know what this object is");
      } else {
        report.Report(Severity::kError, object, base, "",
                      "unknown kind " + object["kind"].dump() + " in apiVersion " +
                          object["apiVersion"].dump() + ": karpenter-cpp does not read it");
      }
      return;
    default:
      break;
  }
  if (IsLegacyKarpenterKind(kind)) {
    ValidateLegacy(object, base, report);
    return;
  }
  report.ReportAll(Severity::kError, object, base, ValidateKubernetesObject(object));
}

// A pod (or a pod template) that names a PriorityClass, kept until every document is read.
struct PriorityClassUse {
  const Document* doc;
  const Json* object;
  std::string base;
  std::string pointer;
  std::string name;
};

// Where `object` (of `kind`) names a PriorityClass for its pods: a Pod's spec, a workload's
// pod template.
std::optional<PriorityClassUse> PriorityClassUseOf(const Document& doc, const Json& object,
                                                   Kind kind, const std::string& base) {
  std::string pointer;
  switch (kind) {
    case Kind::kPod:
      pointer = "/spec/priorityClassName";
      break;
    case Kind::kDeployment:
    case Kind::kReplicaSet:
    case Kind::kStatefulSet:
    case Kind::kDaemonSet:
      pointer = "/spec/template/spec/priorityClassName";
      break;
    default:
      return std::nullopt;
  }
  const Json::json_pointer at(pointer);
  if (!object.contains(at) || !object[at].is_string()) return std::nullopt;
  const std::string name = object[at].get<std::string>();
  if (name.empty()) return std::nullopt;
  return PriorityClassUse{&doc, &object, base, pointer, name};
}

// The API server refuses a pod naming a PriorityClass it does not have. The class may be in
// the cluster already, so this is a warning; the two system classes always exist.
void WarnUndefinedPriorityClasses(const std::vector<PriorityClassUse>& uses,
                                  const std::set<std::string>& defined,
                                  std::vector<Diagnostic>& out) {
  for (const PriorityClassUse& use : uses) {
    if (defined.contains(use.name) || use.name == "system-node-critical" ||
        use.name == "system-cluster-critical") {
      continue;
    }
    DocumentReporter report(*use.doc, out);
    report.Report(Severity::kWarning, *use.object, use.base, use.pointer,
                  "PriorityClass \"" + use.name +
                      "\" is not defined in the input: the API server refuses to create pods "
                      "naming it unless the cluster has it");
  }
}

bool IsList(const Json& object) {
  return StringMember(object, "apiVersion") == "v1" && StringMember(object, "kind") == "List";
}

}  // namespace

std::vector<Diagnostic> ValidateDocuments(const std::vector<Document>& documents) {
  std::vector<Diagnostic> out;
  // kubectl apply would let a later object silently replace an earlier one of the same
  // identity; a validator should say so.
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  std::set<std::string> priority_classes;
  std::vector<PriorityClassUse> priority_class_uses;
  for (const Document& doc : documents) {
    DocumentReporter report(doc, out);
    auto check = [&](const Json& object, const std::string& base) {
      ValidateObject(object, base, report);
      if (!object.is_object()) return;
      const Kind known = KindOf(object);
      if (known == Kind::kPriorityClass && object.contains("metadata")) {
        priority_classes.insert(StringMember(object["metadata"], "name"));
      }
      if (auto use = PriorityClassUseOf(doc, object, known, base)) {
        priority_class_uses.push_back(*std::move(use));
      }
      const std::string kind = StringMember(object, "kind");
      static const Json kNoMetadata = Json::object();
      const Json& metadata = object.contains("metadata") ? object["metadata"] : kNoMetadata;
      const std::string name = StringMember(metadata, "name");
      const std::string ns = StringMember(metadata, "namespace");
      if (!name.empty() && !seen.emplace(kind, ns, name).second) {
        report.Report(Severity::kWarning, object, base, "",
                      "defined more than once in the input; the last definition wins");
      }
    };
    if (IsList(doc.value)) {
      const Json& items = doc.value.contains("items") ? doc.value["items"] : Json::array();
      for (std::size_t i = 0; items.is_array() && i < items.size(); ++i) {
        check(items[i], "/items/" + std::to_string(i));
      }
      continue;
    }
    check(doc.value, "");
  }
  WarnUndefinedPriorityClasses(priority_class_uses, priority_classes, out);
  return out;
}

}  // namespace karpenter::api
