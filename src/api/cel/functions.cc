#include "api/cel/functions.h"

#include <re2/re2.h>

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace karpenter::api::cel {
namespace {

using K = Value::Kind;

struct Signature {
  std::string_view name;
  bool method;
  std::size_t min_arity;  // receiver included
  std::size_t max_arity;
};

constexpr std::array kSignatures = {
    Signature{"size", false, 1, 1},      Signature{"size", true, 1, 1},
    Signature{"int", false, 1, 1},       Signature{"uint", false, 1, 1},
    Signature{"double", false, 1, 1},    Signature{"string", false, 1, 1},
    Signature{"startsWith", true, 2, 2}, Signature{"endsWith", true, 2, 2},
    Signature{"contains", true, 2, 2},   Signature{"matches", true, 2, 2},
    Signature{"matches", false, 2, 2},   Signature{"find", true, 2, 2},
    Signature{"findAll", true, 2, 3},    Signature{"split", true, 2, 3},
    Signature{"lowerAscii", true, 1, 1}, Signature{"upperAscii", true, 1, 1},
    Signature{"trim", true, 1, 1},       Signature{"join", true, 1, 2},
};

Value NoOverload(std::string_view name, std::span<const Value> args) {
  std::string types;
  for (const Value& a : args) types += (types.empty() ? "" : ", ") + a.TypeName();
  return Value::Error("no such overload: " + std::string(name) + "(" + types + ")");
}

void Charge(std::int64_t& budget, std::size_t work) {
  budget -= 1 + static_cast<std::int64_t>(work / 64);
}

std::size_t CodePoints(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

Value Size(const Value& v) {
  switch (v.kind()) {
    case K::kString: return Value::Int(static_cast<std::int64_t>(CodePoints(v.AsString())));
    case K::kList: return Value::Int(static_cast<std::int64_t>(v.ListSize()));
    case K::kMap: return Value::Int(static_cast<std::int64_t>(v.MapSize()));
    default: return NoOverload("size", std::span<const Value>(&v, 1));
  }
}

Value ToInt(const Value& v) {
  constexpr double kLimit = 9223372036854775808.0;  // 2^63
  switch (v.kind()) {
    case K::kInt: return v;
    case K::kUint:
      if (v.AsUint() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return Value::Error("integer overflow");
      }
      return Value::Int(static_cast<std::int64_t>(v.AsUint()));
    case K::kDouble:
      if (!std::isfinite(v.AsDouble()) || v.AsDouble() >= kLimit || v.AsDouble() < -kLimit) {
        return Value::Error("integer overflow");
      }
      return Value::Int(static_cast<std::int64_t>(v.AsDouble()));
    case K::kString: {
      const std::string& s = v.AsString();
      std::size_t start = !s.empty() && s[0] == '+' ? 1 : 0;
      std::int64_t out = 0;
      auto [ptr, ec] = std::from_chars(s.data() + start, s.data() + s.size(), out);
      bool signed_twice = start == 1 && s.size() > 1 && s[1] == '-';
      if (s.size() == start || ec != std::errc() || ptr != s.data() + s.size() || signed_twice) {
        return Value::Error("cannot convert \"" + s + "\" to int");
      }
      return Value::Int(out);
    }
    default: return NoOverload("int", std::span<const Value>(&v, 1));
  }
}

Value ToUint(const Value& v) {
  switch (v.kind()) {
    case K::kUint: return v;
    case K::kInt:
      if (v.AsInt() < 0) return Value::Error("unsigned integer overflow");
      return Value::Uint(static_cast<std::uint64_t>(v.AsInt()));
    case K::kDouble:
      if (!std::isfinite(v.AsDouble()) || v.AsDouble() < 0 ||
          v.AsDouble() >= 18446744073709551616.0) {
        return Value::Error("unsigned integer overflow");
      }
      return Value::Uint(static_cast<std::uint64_t>(v.AsDouble()));
    case K::kString: {
      const std::string& s = v.AsString();
      std::uint64_t out = 0;
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) {
        return Value::Error("cannot convert \"" + s + "\" to uint");
      }
      return Value::Uint(out);
    }
    default: return NoOverload("uint", std::span<const Value>(&v, 1));
  }
}

Value ToDouble(const Value& v) {
  switch (v.kind()) {
    case K::kDouble: return v;
    case K::kInt: return Value::Double(static_cast<double>(v.AsInt()));
    case K::kUint: return Value::Double(static_cast<double>(v.AsUint()));
    case K::kString: {
      const std::string& s = v.AsString();
      double out = 0;
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) {
        return Value::Error("cannot convert \"" + s + "\" to double");
      }
      return Value::Double(out);
    }
    default: return NoOverload("double", std::span<const Value>(&v, 1));
  }
}

Value ToString(const Value& v) {
  switch (v.kind()) {
    case K::kString: return v;
    case K::kBool: case K::kInt: case K::kUint: case K::kDouble: {
      std::string s = v.DebugString();
      if (v.kind() == K::kUint) s.pop_back();  // no "u" suffix
      return Value::String(std::move(s));
    }
    default: return NoOverload("string", std::span<const Value>(&v, 1));
  }
}

// Go's strings.SplitN: n < 0 means all parts; an empty separator splits into UTF-8 sequences.
Value Split(const std::string& s, const std::string& sep, std::int64_t n) {
  std::vector<Value> parts;
  if (n == 0) return Value::List(std::move(parts));
  std::size_t start = 0;
  while (n < 0 || static_cast<std::int64_t>(parts.size()) < n - 1) {
    std::size_t at;
    std::size_t skip = sep.size();
    if (sep.empty()) {
      if (start >= s.size()) break;
      at = start + 1;
      while (at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) ++at;
      skip = 0;
    } else {
      at = s.find(sep, start);
      if (at == std::string::npos) break;
    }
    parts.push_back(Value::String(s.substr(start, at - start)));
    start = at + skip;
  }
  if (!sep.empty() || start < s.size()) parts.push_back(Value::String(s.substr(start)));
  return Value::List(std::move(parts));
}

// The compiled pattern: the precompiled one, or `pattern` compiled now.
Value WithRegex(const re2::RE2* precompiled, const std::string& pattern,
                const auto& use) {
  if (precompiled != nullptr) return use(*precompiled);
  RE2::Options options;
  options.set_log_errors(false);
  RE2 re(pattern, options);
  if (!re.ok()) return Value::Error("invalid regular expression '" + pattern + "': " + re.error());
  return use(re);
}

Value FindAll(const std::string& s, const re2::RE2& re, std::int64_t limit) {
  std::vector<Value> out;
  re2::StringPiece input(s);
  re2::StringPiece match;
  std::size_t pos = 0;
  while (pos <= s.size() && (limit < 0 || static_cast<std::int64_t>(out.size()) < limit)) {
    if (!re.Match(input, pos, s.size(), RE2::UNANCHORED, &match, 1)) break;
    out.push_back(Value::String(std::string(match.data(), match.size())));
    std::size_t end = static_cast<std::size_t>(match.data() - s.data()) + match.size();
    pos = match.empty() ? end + 1 : end;  // an empty match must not repeat forever
  }
  return Value::List(std::move(out));
}

Value StringMethod(std::string_view name, std::span<const Value> args, const re2::RE2* regex) {
  const std::string& s = args[0].AsString();
  if (name == "lowerAscii" || name == "upperAscii") {
    std::string out = s;
    for (char& c : out) {
      if (name == "lowerAscii" && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (name == "upperAscii" && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return Value::String(std::move(out));
  }
  if (name == "trim") {
    std::size_t b = s.find_first_not_of(" \t\n\r\f\v");
    if (b == std::string::npos) return Value::String("");
    return Value::String(s.substr(b, s.find_last_not_of(" \t\n\r\f\v") - b + 1));
  }
  if (args.size() < 2 || args[1].kind() != K::kString) return NoOverload(name, args);
  const std::string& arg = args[1].AsString();
  if (name == "startsWith") return Value::Bool(s.starts_with(arg));
  if (name == "endsWith") return Value::Bool(s.ends_with(arg));
  if (name == "contains") return Value::Bool(s.find(arg) != std::string::npos);
  std::int64_t limit = -1;
  if (args.size() == 3) {
    if (args[2].kind() != K::kInt) return NoOverload(name, args);
    limit = args[2].AsInt();
  }
  if (name == "split") return Split(s, arg, limit);
  return WithRegex(regex, arg, [&](const re2::RE2& re) {
    if (name == "matches") return Value::Bool(RE2::PartialMatch(s, re));
    if (name == "findAll") return FindAll(s, re, limit);
    re2::StringPiece match;  // find
    if (!re.Match(s, 0, s.size(), RE2::UNANCHORED, &match, 1)) return Value::String("");
    return Value::String(std::string(match.data(), match.size()));
  });
}

Value Join(std::span<const Value> args) {
  std::string sep = args.size() == 2 ? args[1].AsString() : "";
  std::string out;
  for (std::size_t i = 0; i < args[0].ListSize(); ++i) {
    Value item = args[0].ListAt(i);
    if (item.kind() != K::kString) return NoOverload("join", args);
    if (i > 0) out += sep;
    out += item.AsString();
  }
  return Value::String(std::move(out));
}

}  // namespace

bool IsKnownFunction(std::string_view name, bool has_target, std::size_t arity) {
  for (const Signature& s : kSignatures) {
    if (s.name == name && s.method == has_target && arity >= s.min_arity &&
        arity <= s.max_arity) {
      return true;
    }
  }
  return false;
}

bool IsRegexFunction(std::string_view name) {
  return name == "matches" || name == "find" || name == "findAll";
}

Value CallFunction(std::string_view name, bool has_target, std::span<const Value> args,
                   const re2::RE2* regex, std::int64_t& budget) {
  for (const Value& a : args) {
    if (a.IsError()) return a;
  }
  if (name == "size") return Size(args[0]);
  if (!has_target) {
    if (name == "int") return ToInt(args[0]);
    if (name == "uint") return ToUint(args[0]);
    if (name == "double") return ToDouble(args[0]);
    if (name == "string") return ToString(args[0]);
    if (name == "matches") {  // matches(string, regex): same as the method
      return CallFunction(name, true, args, regex, budget);
    }
    return NoOverload(name, args);
  }
  if (name == "join") {
    if (args[0].kind() != K::kList || (args.size() == 2 && args[1].kind() != K::kString)) {
      return NoOverload(name, args);
    }
    Charge(budget, args[0].ListSize() * 64);
    return Join(args);
  }
  if (args[0].kind() != K::kString) return NoOverload(name, args);
  std::size_t work = args[0].AsString().size() + (args.size() > 1 && args[1].kind() == K::kString
                                                      ? args[1].AsString().size()
                                                      : 0);
  Charge(budget, work);
  return StringMethod(name, args, regex);
}

}  // namespace karpenter::api::cel
