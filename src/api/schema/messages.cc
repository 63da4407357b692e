#include "api/schema/messages.h"

#include <cmath>
#include <cstdio>

#include "api/diagnostic.h"

namespace karpenter::api::schema {

std::string GoValue(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string: return value.dump();
    case Json::value_t::number_float: {
      double d = value.get<double>();
      if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e21) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.0f", d);  // Go's %v prints 100.0 as 100
        return buffer;
      }
      return value.dump();
    }
    case Json::value_t::null: return "null";
    default: return value.dump();
  }
}

std::string JsonKind(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: return "object";
    case Json::value_t::array: return "array";
    case Json::value_t::string: return "string";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "integer";
    case Json::value_t::number_float: return "number";
    case Json::value_t::boolean: return "boolean";
    default: return "null";
  }
}

std::string InvalidValue(const Json& value, std::string_view detail) {
  return "Invalid value: " + GoValue(value) + ": " + std::string(detail);
}

std::string InvalidOmitted(std::string_view detail) {
  return "Invalid value: " + std::string(detail);
}

std::string UnsupportedValue(const Json& value, const std::vector<Json>& supported) {
  std::string list;
  for (const Json& v : supported) {
    if (!list.empty()) list += ", ";
    list += v.is_string() ? v.dump() : Json(v.dump()).dump();  // non-strings as quoted JSON
  }
  return "Unsupported value: " + GoValue(value) + ": supported values: " + list;
}

std::string TooMany(std::size_t actual, std::int64_t max) {
  return "Too many: " + std::to_string(actual) + ": must have at most " + std::to_string(max) +
         " items";
}

std::string DuplicateValue(const Json& value) { return "Duplicate value: " + GoValue(value); }

std::string BodyPath(std::string_view pointer) { return FieldPathFromPointer(pointer); }

}  // namespace karpenter::api::schema
