// Tree-walking evaluation of a checked CEL syntax tree. Internal to the CEL package; use
// cel::Program.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "api/cel/ast.h"
#include "api/cel/value.h"

namespace karpenter::api::cel {

class Evaluator {
 public:
  // `variables` are the top-level bindings; `budget` the cost limit.
  Evaluator(std::vector<std::pair<std::string_view, Value>> variables, std::int64_t budget)
      : scope_(std::move(variables)), budget_(budget) {}

  // Evaluates `root`. Once the budget is spent the result is the cost error, whatever the
  // partial result was (short-circuiting must not hide it).
  Value Run(const Expr& root);

 private:
  Value Eval(const Expr& e);
  Value Lookup(const Expr& e) const;
  Value Select(const Expr& e);
  Value Index(const Expr& e);
  Value Call(const Expr& e);
  Value Logical(const Expr& e);
  Value Conditional(const Expr& e);
  Value Binary(const Expr& e);
  Value Comprehension(const Expr& e);

  std::vector<std::pair<std::string_view, Value>> scope_;
  std::int64_t budget_;
};

// Applies a binary operator ("+", "==", "in", ...) to two evaluated operands.
Value ApplyOperator(std::string_view op, const Value& a, const Value& b, std::int64_t& budget);

}  // namespace karpenter::api::cel
