// A message about one place in the user's input: which file and line, which object, which
// field. Every error and warning the api layer reports to a person is a Diagnostic.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace karpenter::api {

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string file;    // path as the user gave it; empty when not from a file
  int line = 0;        // 1-based; 0 when unknown
  int column = 0;      // 1-based; 0 when unknown
  std::string object;  // "NodePool/default", "Pod/team-a/web-0"; empty when unknown
  std::string field;   // "spec.template.spec.requirements[0].key"; empty for the whole object
  std::string message;

  // "file:line:column: error: NodePool/default: spec.limits.cpu: message"; parts that are
  // unknown are left out.
  std::string ToString() const;
};

// Converts a JSON pointer ("/spec/requirements/0/key") into the field path Kubernetes prints
// ("spec.requirements[0].key"). Keys that are not plain identifiers are quoted the way kubectl
// quotes them (`metadata.labels[karpenter.sh/nodepool]`).
std::string FieldPathFromPointer(std::string_view pointer);

// One JSON-pointer reference token for an object key or array index: '~' becomes "~0" and '/'
// becomes "~1" (RFC 6901).
std::string EscapePointerSegment(std::string_view segment);

bool HasErrors(const std::vector<Diagnostic>& diagnostics);

}  // namespace karpenter::api
