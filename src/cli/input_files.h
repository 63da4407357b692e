// Reads the manifests named on the command line: files, or directories searched recursively
// for *.yaml, *.yml and *.json, in a stable (sorted) order.
#pragma once

#include <string>
#include <vector>

#include "api/diagnostic.h"
#include "api/yaml_reader.h"

namespace karpenter::cli {

struct InputSet {
  std::vector<api::Document> documents;
  std::vector<api::Diagnostic> errors;  // unreadable paths, syntax errors, limits exceeded
};

// Reads every path; a bad file is reported and the others are still read.
InputSet ReadInputs(const std::vector<std::string>& paths, const api::ReadLimits& limits = {});

}  // namespace karpenter::cli
