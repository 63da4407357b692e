#include "api/cel/parser.h"

#include <re2/re2.h>

#include <algorithm>
#include <utility>

#include "api/cel/functions.h"
#include "api/cel/lexer.h"

namespace karpenter::api::cel {
namespace {

using ExprPtr = std::unique_ptr<Expr>;

ExprPtr Make(ExprKind kind, int offset) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->offset = offset;
  return e;
}

std::string Describe(const Token& t) {
  if (t.kind == Token::Kind::kString) return "string literal";
  if (t.kind == Token::Kind::kEnd) return "end of expression";
  return "'" + t.text + "'";
}

bool IsMacro(std::string_view name) {
  return name == "all" || name == "exists" || name == "exists_one" || name == "filter" ||
         name == "map";
}

// Recursive descent over the CEL grammar (cel-spec, "Syntax"): conditional, ||, &&, relations
// (all one precedence, `in` included), + -, * / %, unary, member access, primary.
class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  Result<ExprPtr> Run() {
    auto expr = Expression();
    if (!expr) return expr;
    if (Peek().kind != Token::Kind::kEnd) return SyntaxError("unexpected " + Describe(Peek()));
    return expr;
  }

 private:
  const Token& Peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  bool IsPunct(std::string_view p, std::size_t ahead = 0) const {
    return Peek(ahead).kind == Token::Kind::kPunct && Peek(ahead).text == p;
  }
  bool Accept(std::string_view p) {
    if (!IsPunct(p)) return false;
    ++pos_;
    return true;
  }
  std::unexpected<karpenter::Error> SyntaxError(const std::string& what) const {
    return Fail(what + " at offset " + std::to_string(Peek().offset));
  }
  Result<void> Expect(std::string_view p) {
    if (Accept(p)) return {};
    return SyntaxError("expected '" + std::string(p) + "'");
  }

  // Guards the recursion of the descent itself.
  struct DepthGuard {
    explicit DepthGuard(int& depth) : depth_(depth) { ++depth_; }
    ~DepthGuard() { --depth_; }
    int& depth_;
  };

  Result<ExprPtr> Expression() {
    DepthGuard guard(depth_);
    if (depth_ > kMaxExpressionDepth) return SyntaxError("expression nested too deeply");
    int offset = Peek().offset;
    auto cond = Or();
    if (!cond || !Accept("?")) return cond;
    auto yes = Or();
    if (!yes) return yes;
    if (auto ok = Expect(":"); !ok) return std::unexpected(ok.error());
    auto no = Expression();
    if (!no) return no;
    ExprPtr e = Make(ExprKind::kConditional, offset);
    e->args.push_back(std::move(*cond));
    e->args.push_back(std::move(*yes));
    e->args.push_back(std::move(*no));
    return e;
  }

  template <typename Next>
  Result<ExprPtr> LeftAssociative(Next next, const std::vector<std::string_view>& ops) {
    int offset = Peek().offset;
    auto lhs = (this->*next)();
    if (!lhs) return lhs;
    ExprPtr result = std::move(*lhs);
    while (true) {
      auto op = std::find_if(ops.begin(), ops.end(), [&](std::string_view o) {
        return o == "in" ? Peek().kind == Token::Kind::kIdent && Peek().text == "in" : IsPunct(o);
      });
      if (op == ops.end()) return result;
      ++pos_;
      auto rhs = (this->*next)();
      if (!rhs) return rhs;
      ExprKind kind = *op == "&&" ? ExprKind::kAnd : *op == "||" ? ExprKind::kOr
                                                                 : ExprKind::kBinary;
      ExprPtr e = Make(kind, offset);
      e->name = std::string(*op);
      e->args.push_back(std::move(result));
      e->args.push_back(std::move(*rhs));
      result = std::move(e);
    }
  }

  Result<ExprPtr> Or() { return LeftAssociative(&Parser::And, {"||"}); }
  Result<ExprPtr> And() { return LeftAssociative(&Parser::Relation, {"&&"}); }
  Result<ExprPtr> Relation() {
    return LeftAssociative(&Parser::Addition, {"==", "!=", "<=", ">=", "<", ">", "in"});
  }
  Result<ExprPtr> Addition() { return LeftAssociative(&Parser::Multiplication, {"+", "-"}); }
  Result<ExprPtr> Multiplication() { return LeftAssociative(&Parser::Unary, {"*", "/", "%"}); }

  Result<ExprPtr> Unary() {
    DepthGuard guard(depth_);
    if (depth_ > kMaxExpressionDepth) return SyntaxError("expression nested too deeply");
    int offset = Peek().offset;
    if (Accept("!")) {
      auto operand = Unary();
      if (!operand) return operand;
      ExprPtr e = Make(ExprKind::kNot, offset);
      e->args.push_back(std::move(*operand));
      return e;
    }
    if (IsPunct("-")) {
      ++pos_;
      if (Peek().kind == Token::Kind::kInt) {  // fold, so the minimum int is expressible
        ExprPtr e = Make(ExprKind::kLiteral, offset);
        e->literal = Value::Int(static_cast<std::int64_t>(0 - Peek().uint_value));
        ++pos_;
        return Member(std::move(e));
      }
      auto operand = Unary();
      if (!operand) return operand;
      ExprPtr e = Make(ExprKind::kNegate, offset);
      e->args.push_back(std::move(*operand));
      return e;
    }
    auto primary = Primary();
    if (!primary) return primary;
    return Member(std::move(*primary));
  }

  Result<ExprPtr> Member(ExprPtr operand) {
    while (true) {
      int offset = Peek().offset;
      if (Accept(".")) {
        if (Peek().kind != Token::Kind::kIdent) return SyntaxError("expected a field name");
        std::string name = Peek().text;
        ++pos_;
        if (IsPunct("(")) {
          auto call = Call(std::move(name), std::move(operand), offset);
          if (!call) return call;
          operand = std::move(*call);
        } else {
          ExprPtr e = Make(ExprKind::kSelect, offset);
          e->name = std::move(name);
          e->args.push_back(std::move(operand));
          operand = std::move(e);
        }
      } else if (Accept("[")) {
        auto index = Expression();
        if (!index) return index;
        if (auto ok = Expect("]"); !ok) return std::unexpected(ok.error());
        ExprPtr e = Make(ExprKind::kIndex, offset);
        e->args.push_back(std::move(operand));
        e->args.push_back(std::move(*index));
        operand = std::move(e);
      } else {
        return operand;
      }
    }
  }

  // Parses "(args)" after a function or method name; `target` is null for a global call.
  Result<ExprPtr> Call(std::string name, ExprPtr target, int offset) {
    auto args = List(")");
    if (!args) return std::unexpected(args.error());
    ExprPtr e = Make(ExprKind::kCall, offset);
    e->name = std::move(name);
    e->has_target = target != nullptr;
    if (target) e->args.push_back(std::move(target));
    for (auto& a : *args) e->args.push_back(std::move(a));
    return Desugar(std::move(e));
  }

  // Elements up to `close`, which is consumed; "(" or "[" has been consumed already.
  Result<std::vector<ExprPtr>> List(std::string_view close) {
    if (close == ")") ++pos_;  // the "(" that Call saw
    std::vector<ExprPtr> items;
    if (Accept(close)) return items;
    while (true) {
      auto item = Expression();
      if (!item) return std::unexpected(item.error());
      items.push_back(std::move(*item));
      if (Accept(close)) return items;
      if (auto ok = Expect(","); !ok) return std::unexpected(ok.error());
      if (close == "]" && Accept(close)) return items;  // trailing comma
    }
  }

  Result<ExprPtr> Primary() {
    const Token& t = Peek();
    int offset = t.offset;
    ExprPtr e = Make(ExprKind::kLiteral, offset);
    switch (t.kind) {
      case Token::Kind::kInt:
        if (t.uint_value > 9223372036854775807ULL) return SyntaxError("integer literal out of range");
        e->literal = Value::Int(t.int_value);
        ++pos_;
        return e;
      case Token::Kind::kUint: e->literal = Value::Uint(t.uint_value); ++pos_; return e;
      case Token::Kind::kDouble: e->literal = Value::Double(t.double_value); ++pos_; return e;
      case Token::Kind::kString: e->literal = Value::String(t.text); ++pos_; return e;
      case Token::Kind::kIdent: return Identifier();
      case Token::Kind::kEnd: return SyntaxError("unexpected end of expression");
      case Token::Kind::kPunct: break;
    }
    if (Accept("(")) {
      auto inner = Expression();
      if (!inner) return inner;
      if (auto ok = Expect(")"); !ok) return std::unexpected(ok.error());
      return inner;
    }
    if (Accept("[")) {
      auto items = List("]");
      if (!items) return std::unexpected(items.error());
      ExprPtr list = Make(ExprKind::kList, offset);
      list->args = std::move(*items);
      return list;
    }
    if (IsPunct("{")) return SyntaxError("map literals are not supported");
    if (IsPunct(".")) return SyntaxError("qualified names are not supported");
    return SyntaxError("unexpected " + Describe(t));
  }

  Result<ExprPtr> Identifier() {
    int offset = Peek().offset;
    std::string name = Peek().text;
    ++pos_;
    if (IsPunct("(")) return Call(std::move(name), nullptr, offset);
    ExprPtr e = Make(ExprKind::kLiteral, offset);
    if (name == "true" || name == "false") {
      e->literal = Value::Bool(name == "true");
    } else if (name == "null") {
      e->literal = Value::Null();
    } else if (name == "in") {
      return SyntaxError("unexpected 'in'");
    } else {
      e->kind = ExprKind::kIdent;
      e->name = std::move(name);
    }
    return e;
  }

  // Turns has() and the comprehension macros into their own nodes.
  Result<ExprPtr> Desugar(ExprPtr call) {
    if (!call->has_target && call->name == "has") {
      if (call->args.size() != 1 || call->args[0]->kind != ExprKind::kSelect) {
        return Fail("has() needs a field selection like has(self.field), at offset " +
                    std::to_string(call->offset));
      }
      ExprPtr e = std::move(call->args[0]);
      e->kind = ExprKind::kPresence;
      return e;
    }
    if (!call->has_target || !IsMacro(call->name)) return call;
    std::size_t argc = call->args.size() - 1;
    bool arity_ok = argc == 2 || (argc == 3 && call->name == "map");
    if (!arity_ok || call->args[1]->kind != ExprKind::kIdent) {
      return Fail(call->name + "() needs a variable name and an expression, at offset " +
                  std::to_string(call->offset));
    }
    ExprPtr e = Make(ExprKind::kComprehension, call->offset);
    e->name = call->name;
    e->var = call->args[1]->name;
    e->args.push_back(std::move(call->args[0]));
    if (argc == 3) {  // map(x, filter, transform): keep the transform in args[1]
      e->args.push_back(std::move(call->args[3]));
      e->args.push_back(std::move(call->args[2]));
    } else {
      e->args.push_back(std::move(call->args[2]));
    }
    return e;
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

// Resolves names, checks function arities, precompiles literal regexes, bounds the tree depth.
class Checker {
 public:
  explicit Checker(const std::vector<std::string>& variables) : scope_(variables) {}

  Result<int> Check(Expr& e) {
    if (e.kind == ExprKind::kIdent &&
        std::find(scope_.begin(), scope_.end(), e.name) == scope_.end()) {
      return Fail("undeclared reference to '" + e.name + "' at offset " +
                  std::to_string(e.offset));
    }
    if (e.kind == ExprKind::kCall) {
      if (auto ok = CheckCall(e); !ok) return std::unexpected(ok.error());
    }
    int depth = 0;
    for (std::size_t i = 0; i < e.args.size(); ++i) {
      bool scoped = e.kind == ExprKind::kComprehension && i > 0;
      if (scoped) scope_.push_back(e.var);
      auto child = Check(*e.args[i]);
      if (scoped) scope_.pop_back();
      if (!child) return child;
      depth = std::max(depth, *child);
    }
    if (depth + 1 > kMaxExpressionDepth) return Fail("expression nested too deeply");
    return depth + 1;
  }

 private:
  Result<void> CheckCall(Expr& e) {
    if (!IsKnownFunction(e.name, e.has_target, e.args.size())) {
      return Fail("found no matching overload for '" + e.name + "' with " +
                  std::to_string(e.args.size() - (e.has_target ? 1 : 0)) +
                  " argument(s) at offset " + std::to_string(e.offset));
    }
    if (!IsRegexFunction(e.name)) return {};
    const Expr& pattern = *e.args.back();
    if (pattern.kind != ExprKind::kLiteral || pattern.literal.kind() != Value::Kind::kString) {
      return {};
    }
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_shared<const RE2>(pattern.literal.AsString(), options);
    if (!re->ok()) {
      return Fail("invalid regular expression '" + pattern.literal.AsString() +
                  "': " + re->error());
    }
    e.regex = std::move(re);
    return {};
  }

  std::vector<std::string> scope_;
};

}  // namespace

Result<std::unique_ptr<Expr>> Parse(std::string_view source,
                                    const std::vector<std::string>& variables) {
  auto tokens = Tokenize(source);
  if (!tokens) return std::unexpected(tokens.error());
  auto expr = Parser(std::move(*tokens)).Run();
  if (!expr) return expr;
  auto checked = Checker(variables).Check(**expr);
  if (!checked) return std::unexpected(checked.error());
  return expr;
}

}  // namespace karpenter::api::cel
