#include "api/codec/internal/kube_codec_util.h"

#include <cstdio>

namespace karpenter::api::codec::internal {

std::string Quote(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned char>(c));
          out += buffer;
        } else {
          out.push_back(c);
        }
    }
  }
  out += '"';
  return out;
}

std::string InvalidString(std::string_view value, std::string_view detail) {
  return "Invalid value: " + Quote(value) + ": " + std::string(detail);
}

std::string InvalidInt(int64_t value, std::string_view detail) {
  return "Invalid value: " + std::to_string(value) + ": " + std::string(detail);
}

std::string NotSupported(std::string_view value,
                         std::initializer_list<std::string_view> supported) {
  std::string out = "Unsupported value: " + Quote(value) + ": supported values: ";
  bool first = true;
  for (std::string_view item : supported) {
    if (!first) out += ", ";
    out += Quote(item);
    first = false;
  }
  return out;
}

std::string Required(std::string_view detail) {
  return detail.empty() ? "Required value" : "Required value: " + std::string(detail);
}

std::string Forbidden(std::string_view detail) { return "Forbidden: " + std::string(detail); }

std::string Duplicate(std::string_view value, std::string_view detail) {
  std::string out = "Duplicate value: " + Quote(value);
  if (!detail.empty()) out += ": " + std::string(detail);
  return out;
}

std::optional<int32_t> ReadInt32(const FieldReader& reader, std::string_view name) {
  std::optional<int64_t> value = reader.Int(name);
  if (!value) return std::nullopt;
  if (*value < INT32_MIN || *value > INT32_MAX) {
    reader.Error(name, "must be a 32-bit integer, not " + std::to_string(*value));
    return std::nullopt;
  }
  return static_cast<int32_t>(*value);
}

std::optional<std::size_t> ReadEnum(const FieldReader& reader, std::string_view name,
                                    const std::string& value,
                                    std::initializer_list<std::string_view> allowed) {
  std::size_t index = 0;
  for (std::string_view item : allowed) {
    if (item == value) return index;
    ++index;
  }
  reader.Error(name, NotSupported(value, allowed));
  return std::nullopt;
}

namespace {

bool Absent(const FieldWriter& writer, std::string_view name) {
  const Json* existing = writer.Existing(name);
  return existing == nullptr || existing->is_null();
}

}  // namespace

void WriteIntWithDefault(FieldWriter& writer, std::string_view name, int64_t value,
                         int64_t default_value) {
  if (value == default_value && Absent(writer, name)) return;
  writer.Int(name, value);
}

void WriteStringWithDefault(FieldWriter& writer, std::string_view name, const std::string& value,
                            std::string_view default_value) {
  if (value == default_value && Absent(writer, name)) return;
  writer.String(name, value);
}

std::optional<PreemptionPolicy> ReadPreemptionPolicy(const FieldReader& reader) {
  std::optional<std::string> text = reader.String("preemptionPolicy");
  if (!text) return std::nullopt;
  if (text->empty()) {
    reader.Error("preemptionPolicy", Required());
    return std::nullopt;
  }
  std::optional<std::size_t> index =
      ReadEnum(reader, "preemptionPolicy", *text, {"PreemptLowerPriority", "Never"});
  if (!index) return std::nullopt;
  return *index == 0 ? PreemptionPolicy::kPreemptLowerPriority : PreemptionPolicy::kNever;
}

void WritePreemptionPolicy(FieldWriter& writer, const std::optional<PreemptionPolicy>& policy) {
  writer.OptionalString("preemptionPolicy",
                        policy ? std::optional<std::string>(ToString(*policy)) : std::nullopt);
}

}  // namespace karpenter::api::codec::internal
