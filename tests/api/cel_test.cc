#include "api/cel/program.h"

#include <gtest/gtest.h>

#include <string>

namespace karpenter::api::cel {
namespace {

// Evaluates `source` with `self` (and `oldSelf` when given) bound. The result may be a view of
// `self`, so callers keep the Json alive while they use it.
Value Eval(std::string_view source, const Json& self = Json(), const Json* old_self = nullptr,
           std::int64_t cost_limit = Program::kDefaultCostLimit) {
  auto program = Program::Compile(source);
  if (!program) return Value::Error("compile: " + program.error().message);
  Value self_value = Value::FromJson(self);
  if (old_self == nullptr) return program->Evaluate(self_value, nullptr, cost_limit);
  Value old_value = Value::FromJson(*old_self);
  return program->Evaluate(self_value, &old_value, cost_limit);
}

// "true", "false", "error: ..." or the value's rendering, so failures print readably.
std::string Show(const Value& v) {
  if (v.IsError()) return "error: " + v.ErrorMessage();
  return v.DebugString();
}

std::string Calc(std::string_view source, const Json& self = Json()) {
  return Show(Eval(source, self));
}

std::string CompileError(std::string_view source) {
  auto program = Program::Compile(source);
  return program ? "<compiled>" : program.error().message;
}

TEST(Cel, Precedence) {
  EXPECT_EQ(Calc("1 + 2 * 3 == 7"), "true");
  EXPECT_EQ(Calc("(1 + 2) * 3"), "9");
  EXPECT_EQ(Calc("10 - 4 - 3"), "3");  // left associative
  EXPECT_EQ(Calc("20 / 2 / 5"), "2");
  EXPECT_EQ(Calc("7 % 4 * 2"), "6");
  EXPECT_EQ(Calc("true || false && false"), "true");  // && binds tighter than ||
  EXPECT_EQ(Calc("!true || true"), "true");           // ! binds tighter than ||
  EXPECT_EQ(Calc("!(true || true)"), "false");
  EXPECT_EQ(Calc("1 < 2 == true"), "true");  // relations share one level, left to right
  EXPECT_EQ(Calc("1 + 1 == 2 && 3 > 2"), "true");
  EXPECT_EQ(Calc("true ? 1 : 2 + 3"), "1");
  EXPECT_EQ(Calc("false ? 1 : true ? 2 : 3"), "2");  // right associative
  EXPECT_EQ(Calc("-3 * 2"), "-6");
  EXPECT_EQ(Calc("!!true"), "true");
  EXPECT_EQ(Calc("- -3"), "3");
  EXPECT_EQ(Calc("'a' in ['a'] == true"), "true");
}

TEST(Cel, Literals) {
  EXPECT_EQ(Calc("'single'"), "\"single\"");
  EXPECT_EQ(Calc("\"double\""), "\"double\"");
  EXPECT_EQ(Calc(R"('it\'s \\ \n')"), R"("it's \\ \n")");
  EXPECT_EQ(Calc(R"(r'\d+')"), R"("\\d+")");
  EXPECT_EQ(Calc(R"('\u00e9'.size())"), "1");
  EXPECT_EQ(Calc("'''a'b'''"), "\"a'b\"");
  EXPECT_EQ(Calc("-9223372036854775808"), "-9223372036854775808");
  EXPECT_EQ(Calc("0x1F"), "31");
  EXPECT_EQ(Calc("5u"), "5u");
  EXPECT_EQ(Calc("1.5"), "1.5");
  EXPECT_EQ(Calc("1e3"), "1000.0");
  EXPECT_EQ(Calc("null"), "null");
  EXPECT_EQ(Calc("[1, 'a', true,]"), "[1, \"a\", true]");
  EXPECT_EQ(Calc("[]"), "[]");
}

TEST(Cel, FieldSelectionAndPresence) {
  Json self = {{"a", {{"b", 1}}}, {"s", "x"}, {"n", nullptr}};
  EXPECT_EQ(Calc("self.a.b", self), "1");
  EXPECT_EQ(Calc("has(self.a)", self), "true");
  EXPECT_EQ(Calc("has(self.a.b)", self), "true");
  EXPECT_EQ(Calc("has(self.zzz)", self), "false");
  EXPECT_EQ(Calc("has(self.n)", self), "false");  // null members are pruned by the API server
  EXPECT_EQ(Calc("self.zzz", self), "error: no such key: zzz");
  EXPECT_EQ(Calc("has(self.zzz.b)", self), "error: no such key: zzz");
  EXPECT_EQ(Calc("self.s.b", self), "error: type 'string' does not support field selection");
}

TEST(Cel, Indexing) {
  Json self = {{"values", {"5", "6"}}, {"m", {{"k", "v"}}}};
  EXPECT_EQ(Calc("self.values[0]", self), "\"5\"");
  EXPECT_EQ(Calc("self.values[2]", self), "error: index '2' out of range in list size '2'");
  EXPECT_EQ(Calc("self.values[-1]", self), "error: index '-1' out of range in list size '2'");
  EXPECT_EQ(Calc("self.m['k']", self), "\"v\"");
  EXPECT_EQ(Calc("self['m'].k", self), "\"v\"");
  EXPECT_EQ(Calc("self.m['x']", self), "error: no such key: x");
  EXPECT_EQ(Calc("'a@b'.split('@')[1]", self), "\"b\"");
  EXPECT_EQ(Calc("'ab'.split('@')[1]", self), "error: index '1' out of range in list size '1'");
}

TEST(Cel, LogicalOperatorsAbsorbErrorsCommutatively) {
  Json self = Json::object();
  EXPECT_EQ(Calc("false && self.missing", self), "false");
  EXPECT_EQ(Calc("self.missing && false", self), "false");
  EXPECT_EQ(Calc("true || self.missing", self), "true");
  EXPECT_EQ(Calc("self.missing || true", self), "true");
  EXPECT_EQ(Calc("true && self.missing", self), "error: no such key: missing");
  EXPECT_EQ(Calc("self.missing || false", self), "error: no such key: missing");
  EXPECT_EQ(Calc("self.missing && self.other", self), "error: no such key: missing");
  EXPECT_EQ(Calc("1 && false"), "false");
  EXPECT_EQ(Calc("1 && true"), "error: no such overload: int && bool");
  EXPECT_EQ(Calc("!self.missing", self), "error: no such key: missing");
  EXPECT_EQ(Calc("!1"), "error: no such overload: !int");
  EXPECT_EQ(Calc("self.missing ? 1 : 2", self), "error: no such key: missing");
  EXPECT_EQ(Calc("'x' ? 1 : 2"), "error: no such overload: string ? _ : _");
  EXPECT_EQ(Calc("true ? 1 : self.missing", self), "1");  // the branch not taken is not evaluated
}

TEST(Cel, MacrosOverListsFoldErrorsLikeLogicalOperators) {
  EXPECT_EQ(Calc("[1, 2].all(x, x > 0)"), "true");
  EXPECT_EQ(Calc("[1, -2].all(x, x > 0)"), "false");
  EXPECT_EQ(Calc("['a', 0].all(x, x > 0)"), "false");  // false absorbs the error
  EXPECT_EQ(Calc("['a', 1].all(x, x > 0)"), "error: no such overload: string > int");
  EXPECT_EQ(Calc("['a', 1].exists(x, x > 0)"), "true");  // true absorbs the error
  EXPECT_EQ(Calc("['a', 0].exists(x, x > 0)"), "error: no such overload: string > int");
  EXPECT_EQ(Calc("[].all(x, x > 0)"), "true");
  EXPECT_EQ(Calc("[].exists(x, x > 0)"), "false");
  EXPECT_EQ(Calc("[1, 2, 3].exists_one(x, x > 2)"), "true");
  EXPECT_EQ(Calc("[1, 2, 3].exists_one(x, x > 1)"), "false");
  EXPECT_EQ(Calc("[1, 2, 3].filter(x, x > 1)"), "[2, 3]");
  EXPECT_EQ(Calc("[1, 2, 3].filter(x, x > 1).size()"), "2");
  EXPECT_EQ(Calc("[1, 2, 3].map(x, x * 2)"), "[2, 4, 6]");
  EXPECT_EQ(Calc("[1, 2, 3].map(x, x > 1, x * 10)"), "[20, 30]");
  EXPECT_EQ(Calc("[1, 2].all(x, [3, 4].exists(y, y == x + 2))"), "true");  // nested variables
  EXPECT_EQ(Calc("[1].all(x, [2].all(x, x == 2))"), "true");                // shadowing
  EXPECT_EQ(Calc("1.all(x, true)"), "error: no such overload: int.all()");
  EXPECT_EQ(Calc("['a'].filter(x, x)"), "error: no such overload: filter");
}

TEST(Cel, MacrosOverMapsIterateKeys) {
  Json self = {{"a", "1"}, {"b", ""}, {"c", nullptr}};
  EXPECT_EQ(Calc("self.all(k, k != '')", self), "true");
  EXPECT_EQ(Calc("self.all(k, self[k] != '')", self), "false");
  EXPECT_EQ(Calc("self.exists(k, k == 'b')", self), "true");
  EXPECT_EQ(Calc("self.exists(k, k == 'c')", self), "false");  // null members are absent
  EXPECT_EQ(Calc("self.filter(k, self[k] == '')", self), "[\"b\"]");
  EXPECT_EQ(Calc("size(self)", self), "2");
  EXPECT_EQ(Calc("self.size()", self), "2");
}

TEST(Cel, EqualityIsHeterogeneousAndDeep) {
  Json self = {{"a", {{"x", {1, 2}}}}, {"b", {{"x", {1, 2}}}}, {"c", {{"x", {2, 1}}}}};
  EXPECT_EQ(Calc("self.a == self.b", self), "true");
  EXPECT_EQ(Calc("self.a == self.c", self), "false");
  EXPECT_EQ(Calc("self.a != self.c", self), "true");
  EXPECT_EQ(Calc("1 == 'a'"), "false");
  EXPECT_EQ(Calc("1 == 1.0"), "true");
  EXPECT_EQ(Calc("1 == 1u"), "true");
  EXPECT_EQ(Calc("null == null"), "true");
  EXPECT_EQ(Calc("[1, [2]] == [1, [2]]"), "true");
  EXPECT_EQ(Calc("[1] == [1, 2]"), "false");
  EXPECT_EQ(Calc("1 < 'a'"), "error: no such overload: int < string");
  EXPECT_EQ(Calc("1 < 1.5"), "true");
  EXPECT_EQ(Calc("-1 < 1u"), "true");
  EXPECT_EQ(Calc("'abc' < 'abd'"), "true");
  EXPECT_EQ(Calc("false < true"), "true");
  EXPECT_EQ(Calc("2 >= 2 && 2 <= 2 && !(2 > 2)"), "true");
}

TEST(Cel, Membership) {
  Json self = {{"limits", {{"nodes", 1}}}};
  EXPECT_EQ(Calc("'b' in ['a', 'b']"), "true");
  EXPECT_EQ(Calc("'c' in ['a', 'b']"), "false");
  EXPECT_EQ(Calc("1 in ['a', 1.0]"), "true");
  EXPECT_EQ(Calc("'nodes' in self.limits", self), "true");
  EXPECT_EQ(Calc("'cpu' in self.limits", self), "false");
  EXPECT_EQ(Calc("1 in self.limits", self), "false");
  EXPECT_EQ(Calc("'a' in 'abc'"), "error: no such overload: string in string");
}

TEST(Cel, Arithmetic) {
  EXPECT_EQ(Calc("9223372036854775807 + 1"), "error: integer overflow");
  EXPECT_EQ(Calc("-9223372036854775808 - 1"), "error: integer overflow");
  EXPECT_EQ(Calc("-9223372036854775808 / -1"), "error: integer overflow");
  EXPECT_EQ(Calc("4611686018427387904 * 2"), "error: integer overflow");
  EXPECT_EQ(Calc("1 / 0"), "error: division by zero");
  EXPECT_EQ(Calc("1 % 0"), "error: modulus by zero");
  EXPECT_EQ(Calc("-7 / 2"), "-3");  // truncates toward zero, as Go
  EXPECT_EQ(Calc("-7 % 2"), "-1");
  EXPECT_EQ(Calc("1u - 2u"), "error: unsigned integer overflow");
  EXPECT_EQ(Calc("1.5 + 1.0"), "2.5");
  EXPECT_EQ(Calc("1 + 1.0"), "error: no such overload: int + double");
  EXPECT_EQ(Calc("'a' + 'b'"), "\"ab\"");
  EXPECT_EQ(Calc("[1] + [2]"), "[1, 2]");
  EXPECT_EQ(Calc("'a' - 'b'"), "error: no such overload: string - string");
}

TEST(Cel, SizeFunction) {
  EXPECT_EQ(Calc("'héllo'.size()"), "5");  // code points, not bytes
  EXPECT_EQ(Calc("size('abc')"), "3");
  EXPECT_EQ(Calc("size([1, 2])"), "2");
  EXPECT_EQ(Calc("[1, 2].size() != 0"), "true");
  EXPECT_EQ(Calc("size(1)"), "error: no such overload: size(int)");
}

TEST(Cel, IntConversion) {
  EXPECT_EQ(Calc("int('42')"), "42");
  EXPECT_EQ(Calc("int('-3')"), "-3");
  EXPECT_EQ(Calc("int('+3')"), "3");
  EXPECT_EQ(Calc("int('abc')"), "error: cannot convert \"abc\" to int");
  EXPECT_EQ(Calc("int('1.5')"), "error: cannot convert \"1.5\" to int");
  EXPECT_EQ(Calc("int('')"), "error: cannot convert \"\" to int");
  EXPECT_EQ(Calc("int('99999999999999999999')"),
            "error: cannot convert \"99999999999999999999\" to int");
  EXPECT_EQ(Calc("int(2.7)"), "2");
  EXPECT_EQ(Calc("int(-2.7)"), "-2");
  EXPECT_EQ(Calc("int(1e19)"), "error: integer overflow");
  EXPECT_EQ(Calc("int(5u)"), "5");
  EXPECT_EQ(Calc("int(true)"), "error: no such overload: int(bool)");
  EXPECT_EQ(Calc("uint(5)"), "5u");
  EXPECT_EQ(Calc("uint(-5)"), "error: unsigned integer overflow");
  EXPECT_EQ(Calc("double(2)"), "2.0");
  EXPECT_EQ(Calc("string(12) + string(true)"), "\"12true\"");
}

TEST(Cel, StringFunctions) {
  EXPECT_EQ(Calc("'karpenter.sh/x'.startsWith('karpenter')"), "true");
  EXPECT_EQ(Calc("'-1'.startsWith('-')"), "true");
  EXPECT_EQ(Calc("'abc'.endsWith('bc')"), "true");
  EXPECT_EQ(Calc("'abc'.endsWith('x')"), "false");
  EXPECT_EQ(Calc("'abc'.contains('b')"), "true");
  EXPECT_EQ(Calc("'ABc'.lowerAscii()"), "\"abc\"");
  EXPECT_EQ(Calc("'abC'.upperAscii()"), "\"ABC\"");
  EXPECT_EQ(Calc("'  a b '.trim()"), "\"a b\"");
  EXPECT_EQ(Calc("'a@b@c'.split('@')"), "[\"a\", \"b\", \"c\"]");
  EXPECT_EQ(Calc("'a@b@c'.split('@', 2)"), "[\"a\", \"b@c\"]");
  EXPECT_EQ(Calc("''.split('@')"), "[\"\"]");
  EXPECT_EQ(Calc("'ab'.split('')"), "[\"a\", \"b\"]");
  EXPECT_EQ(Calc("['a', 'b'].join('-')"), "\"a-b\"");
  EXPECT_EQ(Calc("1.startsWith('a')"), "error: no such overload: startsWith(int, string)");
}

TEST(Cel, RegexFunctionsUseRe2WithGoSemantics) {
  EXPECT_EQ(Calc("'al2023@latest'.matches('^[a-zA-Z0-9]+@.+$')"), "true");
  EXPECT_EQ(Calc("'al2023'.matches('^[a-zA-Z0-9]+@.+$')"), "false");
  EXPECT_EQ(Calc("'xabcx'.matches('abc')"), "true");  // unanchored, as Go's MatchString
  EXPECT_EQ(Calc("matches('abc', '^a')"), "true");
  EXPECT_EQ(Calc("'karpenter.sh/foo'.find('^([^/]+)')"), "\"karpenter.sh\"");
  EXPECT_EQ(Calc("'al2@v1'.find('^[^@]+')"), "\"al2\"");
  EXPECT_EQ(Calc("'/x'.find('^([^/]+)')"), "\"\"");  // no match is the empty string
  EXPECT_EQ(Calc("'a1b22c333'.findAll('[0-9]+')"), "[\"1\", \"22\", \"333\"]");
  EXPECT_EQ(Calc("'a1b22c333'.findAll('[0-9]+', 2)"), "[\"1\", \"22\"]");
  EXPECT_EQ(Calc("'abc'.findAll('x*')"), "[\"\", \"\", \"\", \"\"]");
  EXPECT_EQ(Calc("'a'.matches('[' + 'a')"),
            "error: invalid regular expression '[a': missing ]: [a");  // compiled at run time
  EXPECT_EQ(Calc("'a b'.matches('\\\\s')"), "true");
}

TEST(Cel, CompileErrorsNameTheProblem) {
  EXPECT_EQ(CompileError("self."), "expected a field name at offset 5");
  EXPECT_EQ(CompileError("foo"), "undeclared reference to 'foo' at offset 0");
  EXPECT_EQ(CompileError("self.all(x, y)"), "undeclared reference to 'y' at offset 12");
  EXPECT_EQ(CompileError("self.all(1, true)"),
            "all() needs a variable name and an expression, at offset 4");
  EXPECT_EQ(CompileError("has(self)"),
            "has() needs a field selection like has(self.field), at offset 0");
  EXPECT_EQ(CompileError("self.frobnicate()"),
            "found no matching overload for 'frobnicate' with 0 argument(s) at offset 4");
  EXPECT_EQ(CompileError("self.matches('(')"),
            "invalid regular expression '(': missing ): (");
  EXPECT_EQ(CompileError("'abc"), "unterminated string literal at offset 0");
  EXPECT_EQ(CompileError("{'a': 1}"), "map literals are not supported at offset 0");
  EXPECT_EQ(CompileError("1 +"), "unexpected end of expression at offset 3");
  EXPECT_EQ(CompileError("(1"), "expected ')' at offset 2");
  EXPECT_EQ(CompileError("1 2"), "unexpected '2' at offset 2");
  EXPECT_EQ(CompileError("self 'x'"), "unexpected string literal at offset 5");
  EXPECT_EQ(CompileError("1 +)"), "unexpected ')' at offset 3");
  EXPECT_EQ(CompileError("9223372036854775808"), "integer literal out of range at offset 0");
  EXPECT_EQ(CompileError("'\\q'"), "bad escape '\\q' at offset 1");
  EXPECT_EQ(CompileError("a # b"), "unexpected character '#' at offset 2");
}

TEST(Cel, DeepNestingIsRefusedNotFollowed) {
  std::string parens = std::string(5000, '(') + "1" + std::string(5000, ')');
  EXPECT_EQ(CompileError(parens).substr(0, 28), "expression nested too deeply");
  std::string nots = std::string(5000, '!') + "true";
  EXPECT_EQ(CompileError(nots).substr(0, 28), "expression nested too deeply");
  std::string chain = "1";
  for (int i = 0; i < 1000; ++i) chain += " + 1";
  EXPECT_EQ(CompileError(chain), "expression nested too deeply");
  std::string shorter = "1";
  for (int i = 0; i < 150; ++i) shorter += " + 1";
  EXPECT_EQ(Calc(shorter), "151");
}

TEST(Cel, CostLimitBoundsEvaluation) {
  Json big = Json::array();
  for (int i = 0; i < 2000; ++i) big.push_back(i);
  // Quadratic over 2000 items is 4M steps: stopped by the limit, and no short circuit hides it.
  Value v = Eval("self.all(x, self.filter(y, y == x).size() == 1)", big);
  EXPECT_EQ(Show(v), "error: operation cancelled: actual cost limit exceeded");
  v = Eval("false && self.all(x, self.filter(y, y == x).size() == 1)", big);
  EXPECT_EQ(Show(v), "false");  // never evaluated
  v = Eval("self.all(x, self.filter(y, y == x).size() == 1) || true", big);
  EXPECT_EQ(Show(v), "error: operation cancelled: actual cost limit exceeded");
  // The same rule over 150 items (the networkInterfaces maxItems) fits easily.
  Json small(big.begin(), big.begin() + 150);
  EXPECT_EQ(Show(Eval("self.all(x, self.filter(y, y == x).size() == 1)", small)), "true");
  // Deep equality of huge values is charged per element.
  EXPECT_EQ(Show(Eval("self == self", big, nullptr, 100)),
            "error: operation cancelled: actual cost limit exceeded");
}

TEST(Cel, OldSelfMakesATransitionRule) {
  auto rule = Program::Compile("self.kind == oldSelf.kind");
  ASSERT_TRUE(rule.has_value());
  EXPECT_TRUE(rule->ReferencesOldSelf());
  EXPECT_FALSE(Program::Compile("self.kind == 'x'")->ReferencesOldSelf());
  Json now = {{"kind", "A"}}, before = {{"kind", "B"}};
  EXPECT_EQ(Show(Eval("self.kind == oldSelf.kind", now, &before)), "false");
  EXPECT_EQ(Show(Eval("self == oldSelf", now, &now)), "true");
  EXPECT_EQ(Show(Eval("self == oldSelf", now)), "error: undeclared reference to 'oldSelf'");
}

}  // namespace
}  // namespace karpenter::api::cel
