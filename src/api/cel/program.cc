#include "api/cel/program.h"

#include <utility>
#include <vector>

#include "api/cel/ast.h"
#include "api/cel/evaluator.h"
#include "api/cel/parser.h"

namespace karpenter::api::cel {
namespace {

bool Mentions(const Expr& e, std::string_view name) {
  if (e.kind == ExprKind::kIdent && e.name == name) return true;
  for (const auto& arg : e.args) {
    if (Mentions(*arg, name)) return true;
  }
  return false;
}

}  // namespace

Result<Program> Program::Compile(std::string_view source) {
  auto root = Parse(source, {"self", "oldSelf"});
  if (!root) return std::unexpected(root.error());
  Program program;
  program.references_old_self_ = Mentions(**root, "oldSelf");
  program.root_ = std::move(*root);
  program.source_ = std::string(source);
  return program;
}

Value Program::Evaluate(const Value& self, const Value* old_self, std::int64_t cost_limit) const {
  std::vector<std::pair<std::string_view, Value>> variables = {{"self", self}};
  if (old_self != nullptr) variables.emplace_back("oldSelf", *old_self);
  return Evaluator(std::move(variables), cost_limit).Run(*root_);
}

}  // namespace karpenter::api::cel
