// Parses the CEL subset used by Kubernetes validation rules into a syntax tree and checks it:
// every identifier is a declared variable or a comprehension variable, every function is one the
// evaluator knows, and literal regular expressions compile. Internal to the CEL package.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/cel/ast.h"
#include "core/result.h"

namespace karpenter::api::cel {

// Deeper nesting is refused, so that neither parsing nor evaluation can exhaust the stack.
inline constexpr int kMaxExpressionDepth = 200;

// Parses `source`; `variables` are the names an expression may reference ("self", "oldSelf").
Result<std::unique_ptr<Expr>> Parse(std::string_view source,
                                    const std::vector<std::string>& variables);

}  // namespace karpenter::api::cel
