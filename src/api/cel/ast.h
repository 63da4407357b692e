// The syntax tree of a parsed CEL expression. Internal to the CEL package.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/cel/value.h"

namespace re2 {
class RE2;
}

namespace karpenter::api::cel {

enum class ExprKind {
  kLiteral,        // literal
  kIdent,          // name
  kSelect,         // args[0].name
  kPresence,       // has(args[0].name)
  kIndex,          // args[0][args[1]]
  kCall,           // name(args...) or, with has_target, args[0].name(args[1..])
  kList,           // [args...]
  kNot,            // !args[0]
  kNegate,         // -args[0]
  kBinary,         // args[0] op args[1]; op is an arithmetic or relational operator or "in"
  kAnd,            // args[0] && args[1]
  kOr,             // args[0] || args[1]
  kConditional,    // args[0] ? args[1] : args[2]
  kComprehension,  // args[0].name(var, args[1]) for the macros all, exists, exists_one,
                   // filter, map; map with three arguments keeps its filter in args[2]
};

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  Value literal;
  std::string name;  // identifier, field, function, operator or macro name
  std::string var;   // comprehension variable
  std::vector<std::unique_ptr<Expr>> args;
  bool has_target = false;
  // Regex functions whose pattern is a literal compile it once, at parse time.
  std::shared_ptr<const re2::RE2> regex;
  int offset = 0;  // where the expression starts in the source
};

}  // namespace karpenter::api::cel
