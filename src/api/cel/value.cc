#include "api/cel/value.h"

#include <cmath>
#include <limits>
#include <utility>

namespace karpenter::api::cel {
namespace {

bool IsPresent(const Json& member) { return !member.is_null(); }

}  // namespace

int CompareNumbers(const Value& a, const Value& b) {
  using K = Value::Kind;
  if (a.kind() == K::kDouble || b.kind() == K::kDouble) {
    auto as_double = [](const Value& v) {
      switch (v.kind()) {
        case K::kInt: return static_cast<double>(v.AsInt());
        case K::kUint: return static_cast<double>(v.AsUint());
        default: return v.AsDouble();
      }
    };
    double x = as_double(a), y = as_double(b);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (a.kind() == K::kInt && b.kind() == K::kInt) {
    return a.AsInt() < b.AsInt() ? -1 : (a.AsInt() > b.AsInt() ? 1 : 0);
  }
  if (a.kind() == K::kUint && b.kind() == K::kUint) {
    return a.AsUint() < b.AsUint() ? -1 : (a.AsUint() > b.AsUint() ? 1 : 0);
  }
  if (a.kind() == K::kInt) {  // int vs uint
    if (a.AsInt() < 0) return -1;
    auto x = static_cast<std::uint64_t>(a.AsInt());
    return x < b.AsUint() ? -1 : (x > b.AsUint() ? 1 : 0);
  }
  return -CompareNumbers(b, a);
}

Value Value::Error(std::string message) {
  Value v;
  v.kind_ = Kind::kError;
  v.data_ = std::move(message);
  return v;
}

Value Value::Bool(bool b) {
  Value v;
  v.kind_ = Kind::kBool;
  v.data_ = b;
  return v;
}

Value Value::Int(std::int64_t i) {
  Value v;
  v.kind_ = Kind::kInt;
  v.data_ = i;
  return v;
}

Value Value::Uint(std::uint64_t u) {
  Value v;
  v.kind_ = Kind::kUint;
  v.data_ = u;
  return v;
}

Value Value::Double(double d) {
  Value v;
  v.kind_ = Kind::kDouble;
  v.data_ = d;
  return v;
}

Value Value::String(std::string s) {
  Value v;
  v.kind_ = Kind::kString;
  v.data_ = std::move(s);
  return v;
}

Value Value::List(std::vector<Value> items) {
  Value v;
  v.kind_ = Kind::kList;
  v.data_ = std::make_shared<const std::vector<Value>>(std::move(items));
  return v;
}

Value Value::FromJson(const Json& json) {
  switch (json.type()) {
    case Json::value_t::boolean: return Bool(json.get<bool>());
    case Json::value_t::number_integer: return Int(json.get<std::int64_t>());
    case Json::value_t::number_unsigned: {
      // JSON integers are CEL ints in Kubernetes; only values beyond int64 stay unsigned.
      auto u = json.get<std::uint64_t>();
      if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return Int(static_cast<std::int64_t>(u));
      }
      return Uint(u);
    }
    case Json::value_t::number_float: return Double(json.get<double>());
    case Json::value_t::string: return String(json.get<std::string>());
    case Json::value_t::array: {
      Value v;
      v.kind_ = Kind::kList;
      v.data_ = &json;
      return v;
    }
    case Json::value_t::object: {
      Value v;
      v.kind_ = Kind::kMap;
      v.data_ = &json;
      return v;
    }
    default: return Null();
  }
}

std::size_t Value::ListSize() const {
  if (std::holds_alternative<Items>(data_)) return std::get<Items>(data_)->size();
  return json().size();
}

Value Value::ListAt(std::size_t index) const {
  if (std::holds_alternative<Items>(data_)) return (*std::get<Items>(data_))[index];
  return FromJson(json()[index]);
}

std::size_t Value::MapSize() const {
  std::size_t n = 0;
  for (const auto& member : json().items()) n += IsPresent(member.value()) ? 1 : 0;
  return n;
}

std::vector<std::string> Value::MapKeys() const {
  std::vector<std::string> keys;
  for (const auto& member : json().items()) {
    if (IsPresent(member.value())) keys.push_back(member.key());
  }
  return keys;
}

std::optional<Value> Value::MapGet(std::string_view key) const {
  const Json& object = json();
  auto it = object.find(key);
  if (it == object.end() || !IsPresent(*it)) return std::nullopt;
  return FromJson(*it);
}

std::string Value::TypeName() const {
  switch (kind_) {
    case Kind::kError: return "error";
    case Kind::kNull: return "null_type";
    case Kind::kBool: return "bool";
    case Kind::kInt: return "int";
    case Kind::kUint: return "uint";
    case Kind::kDouble: return "double";
    case Kind::kString: return "string";
    case Kind::kList: return "list";
    case Kind::kMap: return "map";
  }
  return "unknown";
}

std::string Value::DebugString() const {
  switch (kind_) {
    case Kind::kError: return "error(" + ErrorMessage() + ")";
    case Kind::kNull: return "null";
    case Kind::kBool: return AsBool() ? "true" : "false";
    case Kind::kInt: return std::to_string(AsInt());
    case Kind::kUint: return std::to_string(AsUint()) + "u";
    case Kind::kDouble: return Json(AsDouble()).dump();
    case Kind::kString: return Json(AsString()).dump();
    case Kind::kList: {
      std::string out = "[";
      for (std::size_t i = 0; i < ListSize(); ++i) {
        if (i > 0) out += ", ";
        out += ListAt(i).DebugString();
      }
      return out + "]";
    }
    case Kind::kMap: {
      std::string out = "{";
      bool first = true;
      for (const std::string& key : MapKeys()) {
        if (!first) out += ", ";
        first = false;
        out += Json(key).dump() + ": " + MapGet(key)->DebugString();
      }
      return out + "}";
    }
  }
  return "";
}

Value Equals(const Value& a, const Value& b, std::int64_t& budget) {
  if (a.IsError()) return a;
  if (b.IsError()) return b;
  if (--budget < 0) return Value::Error("operation cancelled: actual cost limit exceeded");
  if (a.IsNumber() && b.IsNumber()) {
    if ((a.kind() == Value::Kind::kDouble && std::isnan(a.AsDouble())) ||
        (b.kind() == Value::Kind::kDouble && std::isnan(b.AsDouble()))) {
      return Value::Bool(false);
    }
    return Value::Bool(CompareNumbers(a, b) == 0);
  }
  if (a.kind() != b.kind()) return Value::Bool(false);
  switch (a.kind()) {
    case Value::Kind::kNull: return Value::Bool(true);
    case Value::Kind::kBool: return Value::Bool(a.AsBool() == b.AsBool());
    case Value::Kind::kString: return Value::Bool(a.AsString() == b.AsString());
    case Value::Kind::kList: {
      if (a.ListSize() != b.ListSize()) return Value::Bool(false);
      for (std::size_t i = 0; i < a.ListSize(); ++i) {
        Value eq = Equals(a.ListAt(i), b.ListAt(i), budget);
        if (eq.IsError() || !eq.AsBool()) return eq;
      }
      return Value::Bool(true);
    }
    case Value::Kind::kMap: {
      if (a.MapSize() != b.MapSize()) return Value::Bool(false);
      for (const std::string& key : a.MapKeys()) {
        std::optional<Value> other = b.MapGet(key);
        if (!other) return Value::Bool(false);
        Value eq = Equals(*a.MapGet(key), *other, budget);
        if (eq.IsError() || !eq.AsBool()) return eq;
      }
      return Value::Bool(true);
    }
    default: return Value::Bool(false);
  }
}

}  // namespace karpenter::api::cel
