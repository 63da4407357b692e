// The OpenAPI keywords that look at a value itself, with the messages of Kubernetes'
// kube-openapi validator as converted by the apiextensions server.
#include <re2/re2.h>

#include <cmath>
#include <string>

#include "api/schema/checks.h"
#include "api/schema/messages.h"

namespace karpenter::api::schema {
namespace {

std::size_t CodePoints(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

// OpenAPI's date-time as the API server checks it: a full date, 'T', a time with optional
// fraction and a zone, hour <= 23, minute and second <= 59, month 01-12, day 01-31.
bool IsDateTime(const std::string& s) {
  static const RE2 kDateTime(
      R"(^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$)");
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!RE2::FullMatch(s, kDateTime, &year, &month, &day, &hour, &minute, &second)) return false;
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 &&
         second <= 59;
}

double AsDouble(const Json& number) { return number.get<double>(); }

bool MatchesType(Type type, const Json& value) {
  switch (type) {
    case Type::kObject: return value.is_object();
    case Type::kArray: return value.is_array();
    case Type::kString: return value.is_string();
    case Type::kBoolean: return value.is_boolean();
    case Type::kNumber: return value.is_number();
    case Type::kInteger:
      // A float with an integral value passes, as in the API server's decoder.
      return value.is_number_integer() ||
             (value.is_number_float() && std::isfinite(value.get<double>()) &&
              value.get<double>() == std::floor(value.get<double>()));
    case Type::kUnspecified: return true;
  }
  return true;
}

void CheckString(const Schema& s, const Json& value, const std::string& pointer, bool ratcheted,
                 Sink& sink) {
  const std::string& text = value.get_ref<const std::string&>();
  std::string path = BodyPath(pointer);
  std::size_t length = CodePoints(text);
  if (s.max_length && static_cast<std::int64_t>(length) > *s.max_length) {
    sink.Error(pointer, "Too long: may not be longer than " + std::to_string(*s.max_length),
               ratcheted, /*blocking=*/true);
  }
  if (s.min_length && static_cast<std::int64_t>(length) < *s.min_length) {
    sink.Error(pointer,
               InvalidValue(value, path + " in body should be at least " +
                                       std::to_string(*s.min_length) + " chars long"),
               ratcheted);
  }
  // Go's regexp.MatchString: the pattern may match anywhere unless it anchors itself.
  if (s.pattern_regex && !RE2::PartialMatch(text, *s.pattern_regex)) {
    sink.Error(pointer, InvalidValue(value, path + " in body should match '" + s.pattern + "'"),
               ratcheted);
  }
  if (s.format == "date-time" && !IsDateTime(text)) {
    sink.Error(pointer,
               InvalidValue(value, path + " in body must be of type date-time: " + value.dump()),
               ratcheted);
  }
}

// The API server does not check integer formats (its format checks apply to strings only), but
// Karpenter's controller decodes int32 fields into 32 bits and would fail on larger values: a
// warning says so without rejecting what the API server accepts.
void CheckIntegerFormat(const Schema& s, const Json& value, const std::string& pointer,
                        Sink& sink) {
  if (s.format != "int32" || !value.is_number_integer()) return;
  bool fits = value.is_number_unsigned() ? value.get<std::uint64_t>() <= 2147483647u
                                         : value.get<std::int64_t>() >= -2147483648LL &&
                                               value.get<std::int64_t>() <= 2147483647LL;
  if (!fits) {
    sink.Warning(pointer, "value " + value.dump() +
                              " does not fit format int32; Karpenter cannot decode it");
  }
}

void CheckNumber(const Schema& s, const Json& value, const std::string& pointer, bool ratcheted,
                 Sink& sink) {
  CheckIntegerFormat(s, value, pointer, sink);
  std::string path = BodyPath(pointer);
  double x = AsDouble(value);
  if (s.minimum) {
    double min = AsDouble(*s.minimum);
    if (s.exclusive_minimum ? x <= min : x < min) {
      sink.Error(pointer,
                 InvalidValue(value, path + " in body should be greater than " +
                                         (s.exclusive_minimum ? "" : "or equal to ") +
                                         GoValue(*s.minimum)),
                 ratcheted);
    }
  }
  if (s.maximum) {
    double max = AsDouble(*s.maximum);
    if (s.exclusive_maximum ? x >= max : x > max) {
      sink.Error(pointer,
                 InvalidValue(value, path + " in body should be less than " +
                                         (s.exclusive_maximum ? "" : "or equal to ") +
                                         GoValue(*s.maximum)),
                 ratcheted);
    }
  }
}

std::size_t PresentMembers(const Json& object) {
  std::size_t n = 0;
  for (const auto& member : object.items()) n += member.value().is_null() ? 0 : 1;
  return n;
}

void CheckSizes(const Schema& s, const Json& value, const std::string& pointer, bool ratcheted,
                Sink& sink) {
  std::string path = BodyPath(pointer);
  bool is_array = value.is_array();
  std::size_t size = is_array ? value.size() : PresentMembers(value);
  const auto& max = is_array ? s.max_items : s.max_properties;
  const auto& min = is_array ? s.min_items : s.min_properties;
  if (max && static_cast<std::int64_t>(size) > *max) {
    sink.Error(pointer, TooMany(size, *max), ratcheted, /*blocking=*/true);
  }
  if (min && static_cast<std::int64_t>(size) < *min) {
    sink.Error(pointer,
               InvalidValue(Json(size), path + " in body should have at least " +
                                            std::to_string(*min) +
                                            (is_array ? " items" : " properties")),
               ratcheted);
  }
}

// Whether `value` satisfies the value keywords of one anyOf branch.
bool SatisfiesBranch(const Schema& branch, const Json& value) {
  if (!MatchesType(branch.type, value)) return false;
  ValidationOutput scratch;
  Sink sink(scratch);
  CheckValueKeywords(branch, value, "", false, sink);
  sink.Finish();
  return scratch.errors.empty();
}

}  // namespace

bool CheckType(const Schema& schema, const Json& value, const std::string& pointer,
               bool ratcheted, Sink& sink) {
  if (value.is_null() && schema.nullable) return false;  // nothing more to check
  std::string expected;
  if (schema.int_or_string) {
    if (value.is_number_integer() || value.is_string()) return true;
    expected = "integer,string";
  } else if (schema.type == Type::kUnspecified) {
    return !value.is_null();
  } else {
    if (MatchesType(schema.type, value)) return true;
    expected = std::string(TypeName(schema.type));
  }
  std::string actual = JsonKind(value);
  sink.Error(pointer,
             InvalidValue(Json(actual), BodyPath(pointer) + " in body must be of type " +
                                            expected + ": " + Json(actual).dump()),
             ratcheted, /*blocking=*/true);
  return false;
}

void CheckValueKeywords(const Schema& schema, const Json& value, const std::string& pointer,
                        bool ratcheted, Sink& sink) {
  if (!schema.enum_values.empty()) {
    bool found = false;
    for (const Json& allowed : schema.enum_values) found = found || allowed == value;
    if (!found) {
      sink.Error(pointer, UnsupportedValue(value, schema.enum_values), ratcheted,
                 /*blocking=*/true);
    }
  }
  if (value.is_string()) {
    CheckString(schema, value, pointer, ratcheted, sink);
  } else if (value.is_number()) {
    CheckNumber(schema, value, pointer, ratcheted, sink);
  } else if (value.is_array() || value.is_object()) {
    CheckSizes(schema, value, pointer, ratcheted, sink);
  }
  if (!schema.any_of.empty()) {
    bool any = false;
    for (const auto& branch : schema.any_of) any = any || SatisfiesBranch(*branch, value);
    if (!any) {
      sink.Error(pointer,
                 InvalidValue(value, BodyPath(pointer) +
                                         " in body must validate at least one schema (anyOf)"),
                 ratcheted);
    }
  }
}

}  // namespace karpenter::api::schema
