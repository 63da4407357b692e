// Reads Kubernetes-style YAML or JSON (a stream of documents separated by `---`) into generic
// Json documents, remembering where every value came from so errors can name file:line.
//
// Scalars are typed the way Kubernetes' YAML decoder (YAML 1.1 resolved to JSON) types them:
// plain `1000` is an integer, `1.5` a number, `true`/`false` booleans, `null`/`~`/empty null,
// anything quoted a string.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/diagnostic.h"
#include "api/json.h"

namespace karpenter::api {

struct SourcePosition {
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
};

// One document of a file.
struct Document {
  std::string file;
  int index = 0;  // 0-based position of the document in its file
  Json value;
  // Where each value starts, keyed by JSON pointer ("" is the document root).
  std::unordered_map<std::string, SourcePosition> positions;

  // Position of the value at `pointer`, or of its nearest ancestor with a known position.
  SourcePosition PositionOf(std::string_view pointer) const;
};

struct ReadLimits {
  std::size_t max_bytes = 32u << 20;  // larger input is refused before parsing
  int max_depth = 100;                // deeper nesting is refused (Kubernetes objects need ~20)
  bool record_positions = true;       // off for bulk input where file:line is not needed
};

struct ReadResult {
  std::vector<Document> documents;  // every document parsed before any error
  std::vector<Diagnostic> errors;   // syntax errors, limits exceeded, unsupported constructs
};

// Parses `text` (the content of `file_name`). Empty documents are skipped. Never throws on bad
// input; on a syntax error the documents before it are still returned.
ReadResult ReadYamlDocuments(std::string_view text, std::string_view file_name,
                             const ReadLimits& limits = {});

}  // namespace karpenter::api
