// The binary operators of CEL: arithmetic with overflow checks, comparisons, membership.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "api/cel/evaluator.h"

namespace karpenter::api::cel {
namespace {

using K = Value::Kind;

Value NoOverload(std::string_view op, const Value& a, const Value& b) {
  return Value::Error("no such overload: " + a.TypeName() + " " + std::string(op) + " " +
                      b.TypeName());
}

Value IntArithmetic(std::string_view op, std::int64_t x, std::int64_t y) {
  std::int64_t out = 0;
  bool overflow = false;
  if (op == "+") {
    overflow = __builtin_add_overflow(x, y, &out);
  } else if (op == "-") {
    overflow = __builtin_sub_overflow(x, y, &out);
  } else if (op == "*") {
    overflow = __builtin_mul_overflow(x, y, &out);
  } else {
    if (y == 0) return Value::Error(op == "/" ? "division by zero" : "modulus by zero");
    if (x == std::numeric_limits<std::int64_t>::min() && y == -1) return Value::Error("integer overflow");
    out = op == "/" ? x / y : x % y;
  }
  if (overflow) return Value::Error("integer overflow");
  return Value::Int(out);
}

Value UintArithmetic(std::string_view op, std::uint64_t x, std::uint64_t y) {
  std::uint64_t out = 0;
  bool overflow = false;
  if (op == "+") {
    overflow = __builtin_add_overflow(x, y, &out);
  } else if (op == "-") {
    overflow = __builtin_sub_overflow(x, y, &out);
  } else if (op == "*") {
    overflow = __builtin_mul_overflow(x, y, &out);
  } else {
    if (y == 0) return Value::Error(op == "/" ? "division by zero" : "modulus by zero");
    out = op == "/" ? x / y : x % y;
  }
  if (overflow) return Value::Error("unsigned integer overflow");
  return Value::Uint(out);
}

Value DoubleArithmetic(std::string_view op, double x, double y) {
  if (op == "+") return Value::Double(x + y);
  if (op == "-") return Value::Double(x - y);
  if (op == "*") return Value::Double(x * y);
  if (op == "/") return Value::Double(x / y);
  return Value::Error("no such overload: double % double");
}

Value Arithmetic(std::string_view op, const Value& a, const Value& b, std::int64_t& budget) {
  if (a.kind() != b.kind()) return NoOverload(op, a, b);  // CEL has no implicit conversions
  switch (a.kind()) {
    case K::kInt: return IntArithmetic(op, a.AsInt(), b.AsInt());
    case K::kUint: return UintArithmetic(op, a.AsUint(), b.AsUint());
    case K::kDouble: return DoubleArithmetic(op, a.AsDouble(), b.AsDouble());
    case K::kString:
      if (op != "+") break;
      budget -= static_cast<std::int64_t>((a.AsString().size() + b.AsString().size()) / 64);
      return Value::String(a.AsString() + b.AsString());
    case K::kList: {
      if (op != "+") break;
      std::vector<Value> items;
      budget -= static_cast<std::int64_t>(a.ListSize() + b.ListSize());
      for (std::size_t i = 0; i < a.ListSize(); ++i) items.push_back(a.ListAt(i));
      for (std::size_t i = 0; i < b.ListSize(); ++i) items.push_back(b.ListAt(i));
      return Value::List(std::move(items));
    }
    default: break;
  }
  return NoOverload(op, a, b);
}

Value Ordering(std::string_view op, const Value& a, const Value& b) {
  int cmp = 0;
  if (a.IsNumber() && b.IsNumber()) {
    bool nan = (a.kind() == K::kDouble && std::isnan(a.AsDouble())) ||
               (b.kind() == K::kDouble && std::isnan(b.AsDouble()));
    if (nan) return Value::Bool(false);
    cmp = CompareNumbers(a, b);
  } else if (a.kind() == K::kString && b.kind() == K::kString) {
    cmp = a.AsString().compare(b.AsString());
  } else if (a.kind() == K::kBool && b.kind() == K::kBool) {
    cmp = static_cast<int>(a.AsBool()) - static_cast<int>(b.AsBool());
  } else {
    return NoOverload(op, a, b);
  }
  if (op == "<") return Value::Bool(cmp < 0);
  if (op == "<=") return Value::Bool(cmp <= 0);
  if (op == ">") return Value::Bool(cmp > 0);
  return Value::Bool(cmp >= 0);
}

Value In(const Value& element, const Value& container, std::int64_t& budget) {
  if (container.kind() == K::kMap) {
    if (element.kind() != K::kString) return Value::Bool(false);
    return Value::Bool(container.MapGet(element.AsString()).has_value());
  }
  if (container.kind() != K::kList) return NoOverload("in", element, container);
  for (std::size_t i = 0; i < container.ListSize(); ++i) {
    Value eq = Equals(element, container.ListAt(i), budget);
    if (eq.IsError() || eq.AsBool()) return eq;
  }
  return Value::Bool(false);
}

}  // namespace

Value ApplyOperator(std::string_view op, const Value& a, const Value& b, std::int64_t& budget) {
  if (a.IsError()) return a;
  if (b.IsError()) return b;
  if (op == "==" || op == "!=") {
    Value eq = Equals(a, b, budget);
    if (eq.IsError() || op == "==") return eq;
    return Value::Bool(!eq.AsBool());
  }
  if (op == "in") return In(a, b, budget);
  if (op == "<" || op == "<=" || op == ">" || op == ">=") return Ordering(op, a, b);
  return Arithmetic(op, a, b, budget);
}

}  // namespace karpenter::api::cel
