// Writes Json documents as Kubernetes-style block YAML, the way kubectl prints objects.
#pragma once

#include <string>
#include <vector>

#include "api/json.h"

namespace karpenter::api {

// One document, block style, keys in the Json's order. Strings that would read back as
// something else (`"0"`, `"true"`, `"10%"` stays plain, `"*"` is quoted) are quoted, so
// ReadYamlDocuments(WriteYaml(x)) == x for every x.
std::string WriteYaml(const Json& document);

// Several documents separated by `---`.
std::string WriteYamlDocuments(const std::vector<Json>& documents);

}  // namespace karpenter::api
