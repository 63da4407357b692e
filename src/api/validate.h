// Validation of every kind karpenter-cpp reads, as the Kubernetes API server would do it.
#pragma once

#include <vector>

#include "api/diagnostic.h"
#include "api/yaml_reader.h"

namespace karpenter::api {

// Validates each document: Karpenter's v1 kinds against upstream's CRD schemas and CEL rules
// (with defaults applied first, as the API server does), Kubernetes kinds by decoding them
// into the typed model, `kind: List` item by item. Older Karpenter API versions are errors
// that point at `karpenter convert`. Every diagnostic names file:line, object and field.
std::vector<Diagnostic> ValidateDocuments(const std::vector<Document>& documents);

}  // namespace karpenter::api
