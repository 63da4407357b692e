#include "api/codec/field_reader.h"

#include <cmath>
#include <cstdio>
#include <ctime>

#include "api/diagnostic.h"

namespace karpenter::api::codec {
namespace {

std::string_view TypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: return "object";
    case Json::value_t::array: return "array";
    case Json::value_t::string: return "string";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::null: return "null";
    case Json::value_t::number_float: return "number";
    default: return "integer";
  }
}

// Days from 1970-01-01 to the given civil date (Howard Hinnant's algorithm), so timestamps
// are parsed without the C library's time zone state.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// RFC 3339 as Kubernetes writes it: 2024-05-27T10:00:00Z, with optional fraction and offset.
std::optional<int64_t> ParseRfc3339(const std::string& text) {
  int year, month, day, hour, minute, second, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &second, &consumed) != 6 || consumed != 19) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::size_t i = 19;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  }
  int64_t offset = 0;
  if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
    ++i;
  } else if (i + 6 == text.size() && (text[i] == '+' || text[i] == '-') && text[i + 3] == ':') {
    int oh = 0, om = 0;
    if (std::sscanf(text.c_str() + i + 1, "%2d:%2d", &oh, &om) != 2) return std::nullopt;
    offset = (text[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  return DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
}

}  // namespace

FieldReader::FieldReader(const Json* object, std::string pointer, FieldErrors* errors)
    : object_(object), pointer_(std::move(pointer)), errors_(errors) {
  if (object_ != nullptr && !object_->is_object() && !object_->is_null()) {
    errors_->push_back({pointer_, std::string("must be an object, not ") +
                                      std::string(TypeName(*object_))});
    object_ = nullptr;
  }
}

std::string FieldReader::PointerOf(std::string_view name) const {
  return name.empty() ? pointer_ : pointer_ + "/" + EscapePointerSegment(name);
}

void FieldReader::Error(std::string_view name, std::string message) const {
  errors_->push_back({PointerOf(name), std::move(message)});
}

void FieldReader::TypeError(std::string_view name, std::string_view expected,
                            const Json& actual) const {
  Error(name, "must be " + std::string(expected) + ", not " + std::string(TypeName(actual)));
}

bool FieldReader::Has(std::string_view name) const { return Field(name) != nullptr; }

const Json* FieldReader::Field(std::string_view name) const {
  if (object_ == nullptr || !object_->is_object()) return nullptr;
  auto it = object_->find(name);
  if (it == object_->end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<std::string> FieldReader::String(std::string_view name) const {
  const Json* value = Field(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    TypeError(name, "a string", *value);
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::string FieldReader::RequiredString(std::string_view name) const {
  std::optional<std::string> value = String(name);
  if (!value && !Has(name)) Error(name, "Required value");
  if (value && value->empty()) Error(name, "Required value: must not be empty");
  return value.value_or("");
}

std::optional<int64_t> FieldReader::Int(std::string_view name) const {
  const Json* value = Field(name);
  if (value == nullptr) return std::nullopt;
  if (value->is_number_integer()) {
    if (value->is_number_unsigned() && value->get<uint64_t>() > INT64_MAX) {
      Error(name, "integer is out of range");
      return std::nullopt;
    }
    return value->get<int64_t>();
  }
  // JSON has one number type; 3.0 is an integer to Kubernetes' decoder, 3.5 is not.
  if (value->is_number_float()) {
    double d = value->get<double>();
    if (std::trunc(d) == d && std::fabs(d) < 9.2e18) return static_cast<int64_t>(d);
  }
  TypeError(name, "an integer", *value);
  return std::nullopt;
}

std::optional<bool> FieldReader::Bool(std::string_view name) const {
  const Json* value = Field(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) {
    TypeError(name, "a boolean", *value);
    return std::nullopt;
  }
  return value->get<bool>();
}

std::optional<core::Quantity> FieldReader::Quantity(std::string_view name) const {
  const Json* value = Field(name);
  if (value == nullptr) return std::nullopt;
  std::string text;
  if (value->is_string()) {
    text = value->get<std::string>();
  } else if (value->is_number()) {
    text = value->dump();
  } else {
    TypeError(name, "a quantity (string or number)", *value);
    return std::nullopt;
  }
  Result<core::Quantity> quantity = core::Quantity::Parse(text);
  if (!quantity) {
    Error(name, "invalid quantity \"" + text + "\": " + quantity.error().message);
    return std::nullopt;
  }
  return *quantity;
}

std::optional<std::string> FieldReader::IntOrString(std::string_view name) const {
  const Json* value = Field(name);
  if (value == nullptr) return std::nullopt;
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number_integer()) return value->dump();
  TypeError(name, "an integer or a string", *value);
  return std::nullopt;
}

std::optional<int64_t> FieldReader::Timestamp(std::string_view name) const {
  std::optional<std::string> text = String(name);
  if (!text) return std::nullopt;
  std::optional<int64_t> seconds = ParseRfc3339(*text);
  if (!seconds) Error(name, "invalid RFC 3339 timestamp \"" + *text + "\"");
  return seconds;
}

std::map<std::string, std::string> FieldReader::StringMap(std::string_view name) const {
  std::map<std::string, std::string> out;
  const Json* value = Field(name);
  if (value == nullptr) return out;
  if (!value->is_object()) {
    TypeError(name, "a map of strings", *value);
    return out;
  }
  FieldReader map(value, PointerOf(name), errors_);
  for (const auto& [key, item] : value->items()) {
    if (std::optional<std::string> text = map.String(key)) out.emplace(key, *text);
  }
  return out;
}

std::vector<std::string> FieldReader::StringList(std::string_view name) const {
  std::vector<std::string> out;
  const Json* value = Field(name);
  if (value == nullptr) return out;
  if (!value->is_array()) {
    TypeError(name, "a list of strings", *value);
    return out;
  }
  for (std::size_t i = 0; i < value->size(); ++i) {
    const Json& item = (*value)[i];
    if (item.is_string()) {
      out.push_back(item.get<std::string>());
    } else {
      errors_->push_back({PointerOf(name) + "/" + std::to_string(i),
                          "must be a string, not " + std::string(TypeName(item))});
    }
  }
  return out;
}

core::ResourceList FieldReader::Resources(std::string_view name) const {
  core::ResourceList out;
  const Json* value = Field(name);
  if (value == nullptr) return out;
  if (!value->is_object()) {
    TypeError(name, "a map of resource quantities", *value);
    return out;
  }
  FieldReader map(value, PointerOf(name), errors_);
  for (const auto& [key, item] : value->items()) {
    if (std::optional<core::Quantity> q = map.Quantity(key)) out.Set(key, *q);
  }
  return out;
}

FieldReader FieldReader::Object(std::string_view name) const {
  return FieldReader(Field(name), PointerOf(name), errors_);
}

void FieldReader::Objects(std::string_view name,
                          const std::function<void(const FieldReader&)>& each) const {
  const Json* value = Field(name);
  if (value == nullptr) return;
  if (!value->is_array()) {
    TypeError(name, "a list", *value);
    return;
  }
  for (std::size_t i = 0; i < value->size(); ++i) {
    const Json& item = (*value)[i];
    std::string item_pointer = PointerOf(name) + "/" + std::to_string(i);
    if (!item.is_object()) {
      errors_->push_back({item_pointer, "must be an object, not " + std::string(TypeName(item))});
      continue;
    }
    each(FieldReader(&item, item_pointer, errors_));
  }
}

}  // namespace karpenter::api::codec
