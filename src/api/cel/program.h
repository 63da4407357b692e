// A compiled CEL expression over the variables `self` and `oldSelf`, as in Kubernetes'
// x-kubernetes-validations rules. Only the subset of CEL those rules use is supported: literals
// (int, uint, double, string, bool, null, lists), field selection, indexing, has(), the macros
// all/exists/exists_one/filter/map, the operators of CEL, size(), int()/uint()/double()/
// string(), the string functions startsWith/endsWith/contains/matches/split/lowerAscii/
// upperAscii/trim/join and Kubernetes' find/findAll. Regular expressions are RE2, as in Go.
//
// Evaluation never throws and never recurses deeper than the expression's (bounded) nesting;
// its work is bounded by a cost limit, so rules over huge lists end with an error instead of
// running for long.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "api/cel/value.h"
#include "core/result.h"

namespace karpenter::api::cel {

struct Expr;

// The error an evaluation returns when it ran out of its cost limit.
inline constexpr std::string_view kCostLimitExceeded =
    "operation cancelled: actual cost limit exceeded";

class Program {
 public:
  // Roughly one unit per expression node evaluated or element compared; Kubernetes' per-call
  // limit is of the same order.
  static constexpr std::int64_t kDefaultCostLimit = 1'000'000;

  // Parses and checks `source`. Fails with a message naming the offset of the problem.
  static Result<Program> Compile(std::string_view source);

  // Evaluates with `self` bound, and `oldSelf` bound when `old_self` is not null. The result is
  // a value of any kind; an error value when evaluation failed (no such key, no such overload,
  // index out of range, cost limit exceeded, ...).
  Value Evaluate(const Value& self, const Value* old_self,
                 std::int64_t cost_limit = kDefaultCostLimit) const;

  // Whether the expression mentions `oldSelf`, i.e. is a transition rule.
  bool ReferencesOldSelf() const { return references_old_self_; }
  const std::string& source() const { return source_; }

 private:
  std::shared_ptr<const Expr> root_;
  std::string source_;
  bool references_old_self_ = false;
};

}  // namespace karpenter::api::cel
