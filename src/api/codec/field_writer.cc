#include "api/codec/field_writer.h"

#include <cctype>
#include <cstdio>
#include <string>

#include "api/codec/field_reader.h"

namespace karpenter::api::codec {
namespace {

// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm), the inverse of the one
// FieldReader parses with, so no C library time zone state is involved.
void CivilFromDays(int64_t z, int64_t& year, unsigned& month, unsigned& day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
}

bool IsEmptyValue(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return true;
    case Json::value_t::string: return value.get_ref<const std::string&>().empty();
    case Json::value_t::boolean: return !value.get<bool>();
    case Json::value_t::object:
    case Json::value_t::array: return value.empty();
    case Json::value_t::number_float: return value.get<double>() == 0.0;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return value.get<int64_t>() == 0;
    default: return false;
  }
}

// Reads field `name` of `object` back with FieldReader, to ask whether the existing text
// already decodes to the value about to be written. Errors are irrelevant here.
template <typename Read>
auto ReadBack(const Json& object, std::string_view name, Read read) {
  FieldErrors ignored;
  FieldReader reader(&object, "", &ignored);
  return read(reader, name);
}

}  // namespace

std::string FormatRfc3339(int64_t seconds) {
  int64_t days = seconds / 86400;
  int64_t rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  int64_t year = 0;
  unsigned month = 0, day = 0;
  CivilFromDays(days, year, month, day);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                static_cast<long long>(year), month, day, static_cast<long long>(rest / 3600),
                static_cast<long long>(rest / 60 % 60), static_cast<long long>(rest % 60));
  return buffer;
}

FieldWriter::FieldWriter(Json& object) : object_(object) {
  if (!object_.is_object()) object_ = Json::object();
}

const Json* FieldWriter::Existing(std::string_view name) const {
  auto it = object_.find(name);
  return it == object_.end() ? nullptr : &*it;
}

void FieldWriter::Set(std::string_view name, Json value) {
  auto it = object_.find(name);
  if (it != object_.end()) {
    if (*it != value) *it = std::move(value);  // in place: the key keeps its position
    return;
  }
  object_[std::string(name)] = std::move(value);
}

void FieldWriter::Erase(std::string_view name) {
  const Json* existing = Existing(name);
  if (existing != nullptr && !existing->is_null()) object_.erase(std::string(name));
}

void FieldWriter::EraseUnlessEmpty(std::string_view name) {
  const Json* existing = Existing(name);
  if (existing != nullptr && !IsEmptyValue(*existing)) object_.erase(std::string(name));
}

void FieldWriter::String(std::string_view name, const std::string& value) { Set(name, value); }

void FieldWriter::Int(std::string_view name, int64_t value) { Set(name, value); }

void FieldWriter::OmitEmptyString(std::string_view name, const std::string& value) {
  if (value.empty()) return EraseUnlessEmpty(name);
  Set(name, value);
}

void FieldWriter::OmitEmptyInt(std::string_view name, int64_t value) {
  if (value == 0) return EraseUnlessEmpty(name);
  Set(name, value);
}

void FieldWriter::OmitEmptyBool(std::string_view name, bool value) {
  if (!value) return EraseUnlessEmpty(name);
  Set(name, true);
}

void FieldWriter::StringMap(std::string_view name,
                            const std::map<std::string, std::string>& value) {
  if (value.empty()) return EraseUnlessEmpty(name);
  Json out = Json::object();
  const Json* existing = Existing(name);
  if (existing != nullptr && existing->is_object()) {
    for (const auto& [key, item] : existing->items()) {  // existing keys keep their order
      if (auto it = value.find(key); it != value.end()) out[key] = it->second;
    }
  }
  for (const auto& [key, item] : value) {
    if (!out.contains(key)) out[key] = item;
  }
  Set(name, std::move(out));
}

void FieldWriter::StringList(std::string_view name, const std::vector<std::string>& value) {
  if (value.empty()) return EraseUnlessEmpty(name);
  Set(name, Json(value));
}

void FieldWriter::Resources(std::string_view name, const core::ResourceList& value) {
  if (value.empty()) return EraseUnlessEmpty(name);
  const Json* existing = Existing(name);
  Json out = Json::object();
  if (existing != nullptr && existing->is_object()) {
    for (const auto& [key, item] : existing->items()) {
      const core::Quantity* quantity = value.Find(key);
      if (quantity == nullptr) continue;
      out[key] = item;
      FieldWriter(out).Quantity(key, *quantity);
    }
  }
  for (const auto& [key, quantity] : value) {
    if (!out.contains(key)) out[key] = quantity.ToString();
  }
  Set(name, std::move(out));
}

void FieldWriter::OptionalString(std::string_view name, const std::optional<std::string>& value) {
  if (!value) return Erase(name);
  Set(name, *value);
}

void FieldWriter::OptionalInt(std::string_view name, std::optional<int64_t> value) {
  if (!value) return Erase(name);
  Set(name, *value);
}

void FieldWriter::OptionalBool(std::string_view name, std::optional<bool> value) {
  if (!value) return Erase(name);
  Set(name, *value);
}

void FieldWriter::OptionalDouble(std::string_view name, std::optional<double> value) {
  if (!value) return Erase(name);
  Set(name, *value);
}

void FieldWriter::Quantity(std::string_view name, const std::optional<core::Quantity>& value) {
  if (!value) return Erase(name);
  auto existing = ReadBack(object_, name, [](const FieldReader& r, std::string_view n) {
    return r.Quantity(n);
  });
  if (existing && *existing == *value) return;
  Set(name, value->ToString());
}

void FieldWriter::Timestamp(std::string_view name, std::optional<int64_t> value) {
  if (!value) return Erase(name);
  auto existing = ReadBack(object_, name, [](const FieldReader& r, std::string_view n) {
    return r.Timestamp(n);
  });
  if (existing && *existing == *value) return;
  Set(name, FormatRfc3339(*value));
}

void FieldWriter::Duration(std::string_view name, std::optional<std::chrono::nanoseconds> value) {
  if (!value) return Erase(name);
  const Json* existing = Existing(name);
  if (existing != nullptr && existing->is_string()) {
    auto parsed = core::ParseGoDuration(existing->get_ref<const std::string&>());
    if (parsed && *parsed == *value) return;
  }
  Set(name, core::FormatGoDuration(*value));
}

void FieldWriter::NillableDuration(std::string_view name,
                                   const std::optional<core::NillableDuration>& value) {
  if (!value) return Erase(name);
  const Json* existing = Existing(name);
  if (existing != nullptr && existing->is_string()) {
    auto parsed = core::NillableDuration::Parse(existing->get_ref<const std::string&>());
    if (parsed && *parsed == *value) return;
  }
  Set(name, value->ToString());
}

void FieldWriter::DurationMap(std::string_view name,
                              const std::map<std::string, std::chrono::nanoseconds>& value) {
  if (value.empty()) return EraseUnlessEmpty(name);
  const Json* existing = Existing(name);
  Json out = Json::object();
  if (existing != nullptr && existing->is_object()) {
    for (const auto& [key, item] : existing->items()) {
      auto it = value.find(key);
      if (it == value.end()) continue;
      out[key] = item;
      FieldWriter(out).Duration(key, it->second);
    }
  }
  for (const auto& [key, duration] : value) {
    if (!out.contains(key)) out[key] = core::FormatGoDuration(duration);
  }
  Set(name, std::move(out));
}

void FieldWriter::Object(std::string_view name, const std::function<void(FieldWriter&)>& fill,
                         bool required) {
  const Json* existing = Existing(name);
  const bool had_object = existing != nullptr && existing->is_object();
  Json child = had_object ? *existing : Json::object();
  FieldWriter writer(child);
  fill(writer);
  if (!had_object && child.empty() && !required) return Erase(name);
  Set(name, std::move(child));
}

void FieldWriter::ObjectList(std::string_view name, std::size_t size,
                             const std::function<void(std::size_t, FieldWriter&)>& fill,
                             bool required) {
  const Json* existing = Existing(name);
  if (size == 0) {
    if (!required) return EraseUnlessEmpty(name);
    if (existing != nullptr && (existing->is_null() || *existing == Json::array())) return;
    return Set(name, Json::array());
  }
  Json out = Json::array();
  for (std::size_t i = 0; i < size; ++i) {
    const bool reuse = existing != nullptr && existing->is_array() && i < existing->size() &&
                       (*existing)[i].is_object();
    Json element = reuse ? (*existing)[i] : Json::object();
    FieldWriter writer(element);
    fill(i, writer);
    out.push_back(std::move(element));
  }
  Set(name, std::move(out));
}

}  // namespace karpenter::api::codec
