// Values of the CEL subset that Kubernetes validation rules use. A value is a scalar, a list or
// a map; lists and maps read from a document are views of the Json (no copy), lists built by an
// expression (literals, split(), filter()) are shared immutable vectors. An error is a value too,
// as in CEL: it flows through operators until something absorbs it (`false && error`) or it
// reaches the top.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/json.h"

namespace karpenter::api::cel {

class Value {
 public:
  enum class Kind { kError, kNull, kBool, kInt, kUint, kDouble, kString, kList, kMap };

  Value() : kind_(Kind::kNull) {}
  static Value Error(std::string message);
  static Value Null() { return Value(); }
  static Value Bool(bool b);
  static Value Int(std::int64_t i);
  static Value Uint(std::uint64_t u);
  static Value Double(double d);
  static Value String(std::string s);
  static Value List(std::vector<Value> items);
  // A view of `json`, which must outlive the value. Objects become maps with string keys; a
  // member whose value is null counts as absent, as the API server prunes such fields before
  // it validates.
  static Value FromJson(const Json& json);

  Kind kind() const { return kind_; }
  bool IsError() const { return kind_ == Kind::kError; }
  bool IsBool() const { return kind_ == Kind::kBool; }
  bool IsNumber() const {
    return kind_ == Kind::kInt || kind_ == Kind::kUint || kind_ == Kind::kDouble;
  }

  // Accessors; each requires the matching kind.
  bool AsBool() const { return std::get<bool>(data_); }
  std::int64_t AsInt() const { return std::get<std::int64_t>(data_); }
  std::uint64_t AsUint() const { return std::get<std::uint64_t>(data_); }
  double AsDouble() const { return std::get<double>(data_); }
  const std::string& AsString() const { return std::get<std::string>(data_); }  // string, error
  const std::string& ErrorMessage() const { return std::get<std::string>(data_); }

  // Lists.
  std::size_t ListSize() const;
  Value ListAt(std::size_t index) const;

  // Maps (keys are strings).
  std::size_t MapSize() const;
  std::vector<std::string> MapKeys() const;  // in document order
  std::optional<Value> MapGet(std::string_view key) const;

  // The CEL type name, for messages: "int", "string", "list", "map", ...
  std::string TypeName() const;
  // A short rendering for messages: strings quoted, lists and maps in CEL literal syntax.
  std::string DebugString() const;

 private:
  using Items = std::shared_ptr<const std::vector<Value>>;
  const Json& json() const { return *std::get<const Json*>(data_); }

  Kind kind_;
  std::variant<std::monostate, bool, std::int64_t, std::uint64_t, double, std::string, Items,
               const Json*>
      data_;
};

// CEL equality with heterogeneous semantics: numbers compare by value across int/uint/double,
// values of different kinds are unequal (not an error), lists and maps compare deeply.
// `budget` is decremented once per element compared, so a comparison of huge values stays
// bounded; the result is an error once it runs out.
Value Equals(const Value& a, const Value& b, std::int64_t& budget);

// Orders two numbers (int, uint or double, mixed freely) exactly: -1, 0 or 1. NaN compares
// equal to everything, so callers that care check for it first.
int CompareNumbers(const Value& a, const Value& b);

}  // namespace karpenter::api::cel
