#include "api/cel/evaluator.h"

#include <limits>
#include <string>

#include "api/cel/functions.h"
#include "api/cel/program.h"

namespace karpenter::api::cel {
namespace {

using K = Value::Kind;

Value NoSuchKey(std::string_view key) { return Value::Error("no such key: " + std::string(key)); }

// The outcome of one step of all()/exists(): kept, or decided.
struct Fold {
  bool decided = false;
  Value result;
};

}  // namespace

Value Evaluator::Run(const Expr& root) {
  Value result = Eval(root);
  if (budget_ < 0) return Value::Error(std::string(kCostLimitExceeded));
  return result;
}

Value Evaluator::Eval(const Expr& e) {
  if (--budget_ < 0) return Value::Error(std::string(kCostLimitExceeded));
  switch (e.kind) {
    case ExprKind::kLiteral: return e.literal;
    case ExprKind::kIdent: return Lookup(e);
    case ExprKind::kSelect:
    case ExprKind::kPresence: return Select(e);
    case ExprKind::kIndex: return Index(e);
    case ExprKind::kCall: return Call(e);
    case ExprKind::kList: {
      std::vector<Value> items;
      items.reserve(e.args.size());
      for (const auto& arg : e.args) {
        items.push_back(Eval(*arg));
        if (items.back().IsError()) return items.back();
      }
      return Value::List(std::move(items));
    }
    case ExprKind::kNot: {
      Value v = Eval(*e.args[0]);
      if (v.IsError()) return v;
      if (!v.IsBool()) return Value::Error("no such overload: !" + v.TypeName());
      return Value::Bool(!v.AsBool());
    }
    case ExprKind::kNegate: {
      Value v = Eval(*e.args[0]);
      if (v.kind() == K::kInt) {
        if (v.AsInt() == std::numeric_limits<std::int64_t>::min()) {
          return Value::Error("integer overflow");
        }
        return Value::Int(-v.AsInt());
      }
      if (v.kind() == K::kDouble) return Value::Double(-v.AsDouble());
      if (v.IsError()) return v;
      return Value::Error("no such overload: -" + v.TypeName());
    }
    case ExprKind::kBinary: return Binary(e);
    case ExprKind::kAnd:
    case ExprKind::kOr: return Logical(e);
    case ExprKind::kConditional: return Conditional(e);
    case ExprKind::kComprehension: return Comprehension(e);
  }
  return Value::Error("unknown expression");
}

Value Evaluator::Lookup(const Expr& e) const {
  // Innermost binding first, so a comprehension variable shadows an outer one.
  for (auto it = scope_.rbegin(); it != scope_.rend(); ++it) {
    if (it->first == e.name) return it->second;
  }
  return Value::Error("undeclared reference to '" + e.name + "'");
}

Value Evaluator::Select(const Expr& e) {
  Value operand = Eval(*e.args[0]);
  if (operand.IsError()) return operand;
  if (operand.kind() != K::kMap) {
    return Value::Error("type '" + operand.TypeName() + "' does not support field selection");
  }
  std::optional<Value> field = operand.MapGet(e.name);
  if (e.kind == ExprKind::kPresence) return Value::Bool(field.has_value());
  if (!field) return NoSuchKey(e.name);
  return *field;
}

Value Evaluator::Index(const Expr& e) {
  Value operand = Eval(*e.args[0]);
  Value index = Eval(*e.args[1]);
  if (operand.IsError()) return operand;
  if (index.IsError()) return index;
  if (operand.kind() == K::kList) {
    std::int64_t i = -1;
    if (index.kind() == K::kInt) {
      i = index.AsInt();
    } else if (index.kind() == K::kUint &&
               index.AsUint() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      i = static_cast<std::int64_t>(index.AsUint());
    } else {
      return Value::Error("no such overload: list[" + index.TypeName() + "]");
    }
    if (i < 0 || static_cast<std::uint64_t>(i) >= operand.ListSize()) {
      return Value::Error("index '" + std::to_string(i) + "' out of range in list size '" +
                          std::to_string(operand.ListSize()) + "'");
    }
    return operand.ListAt(static_cast<std::size_t>(i));
  }
  if (operand.kind() == K::kMap) {
    if (index.kind() != K::kString) return NoSuchKey(index.DebugString());
    std::optional<Value> v = operand.MapGet(index.AsString());
    if (!v) return NoSuchKey(index.AsString());
    return *v;
  }
  return Value::Error("no such overload: " + operand.TypeName() + "[" + index.TypeName() + "]");
}

Value Evaluator::Call(const Expr& e) {
  std::vector<Value> args;
  args.reserve(e.args.size());
  for (const auto& arg : e.args) args.push_back(Eval(*arg));
  return CallFunction(e.name, e.has_target, args, e.regex.get(), budget_);
}

// CEL's && and || are commutative over errors: `false && error` is false and `true || error` is
// true whichever side the error is on; otherwise an error wins.
Value Evaluator::Logical(const Expr& e) {
  bool is_and = e.kind == ExprKind::kAnd;
  Value lhs = Eval(*e.args[0]);
  if (lhs.IsBool() && lhs.AsBool() != is_and) return lhs;  // decided: false && _, true || _
  Value rhs = Eval(*e.args[1]);
  if (rhs.IsBool() && rhs.AsBool() != is_and) return rhs;
  if (lhs.IsError()) return lhs;
  if (rhs.IsError()) return rhs;
  if (!lhs.IsBool() || !rhs.IsBool()) {
    return Value::Error("no such overload: " + lhs.TypeName() + (is_and ? " && " : " || ") +
                        rhs.TypeName());
  }
  return rhs;  // both are the neutral value
}

Value Evaluator::Conditional(const Expr& e) {
  Value cond = Eval(*e.args[0]);
  if (cond.IsError()) return cond;
  if (!cond.IsBool()) return Value::Error("no such overload: " + cond.TypeName() + " ? _ : _");
  return Eval(*e.args[cond.AsBool() ? 1 : 2]);
}

Value Evaluator::Binary(const Expr& e) {
  Value lhs = Eval(*e.args[0]);
  Value rhs = Eval(*e.args[1]);
  return ApplyOperator(e.name, lhs, rhs, budget_);
}

Value Evaluator::Comprehension(const Expr& e) {
  Value range = Eval(*e.args[0]);
  if (range.IsError()) return range;
  std::vector<Value> elements;  // list items, or map keys
  if (range.kind() == K::kList) {
    elements.reserve(range.ListSize());
    for (std::size_t i = 0; i < range.ListSize(); ++i) elements.push_back(range.ListAt(i));
  } else if (range.kind() == K::kMap) {
    for (std::string& key : range.MapKeys()) elements.push_back(Value::String(std::move(key)));
  } else {
    return Value::Error("no such overload: " + range.TypeName() + "." + e.name + "()");
  }
  budget_ -= static_cast<std::int64_t>(elements.size());
  const std::string& macro = e.name;
  bool is_all = macro == "all";
  bool is_exists = macro == "exists";
  Value error;  // the first error seen by all()/exists(), reported only if nothing decides
  bool has_error = false;
  std::int64_t count = 0;
  std::vector<Value> collected;
  scope_.emplace_back(e.var, Value());
  for (const Value& element : elements) {
    if (budget_ < 0) break;
    scope_.back().second = element;
    if (macro == "map" && e.args.size() == 3) {  // map(x, filter, transform)
      Value keep = Eval(*e.args[2]);
      if (!keep.IsBool()) {
        scope_.pop_back();
        return keep.IsError() ? keep : Value::Error("no such overload: map filter");
      }
      if (!keep.AsBool()) continue;
    }
    Value v = Eval(*e.args[1]);
    if (macro == "map") {
      if (v.IsError()) {
        scope_.pop_back();
        return v;
      }
      collected.push_back(std::move(v));
      continue;
    }
    if (!v.IsBool()) {
      if (is_all || is_exists) {
        if (!has_error) error = v.IsError() ? v : Value::Error("no such overload: " + macro);
        has_error = true;
        continue;
      }
      scope_.pop_back();
      return v.IsError() ? v : Value::Error("no such overload: " + macro);
    }
    if (is_all && !v.AsBool()) {
      scope_.pop_back();
      return Value::Bool(false);
    }
    if (is_exists && v.AsBool()) {
      scope_.pop_back();
      return Value::Bool(true);
    }
    if (macro == "exists_one" && v.AsBool()) ++count;
    if (macro == "filter" && v.AsBool()) collected.push_back(element);
  }
  scope_.pop_back();
  if (budget_ < 0) return Value::Error(std::string(kCostLimitExceeded));
  if (has_error) return error;
  if (is_all) return Value::Bool(true);
  if (is_exists) return Value::Bool(false);
  if (macro == "exists_one") return Value::Bool(count == 1);
  return Value::List(std::move(collected));
}

}  // namespace karpenter::api::cel
