#include "api/convert/common.h"

#include <array>
#include <utility>

namespace karpenter::api::convert {
namespace {

// Set by the API server and meaningless in a manifest that will be applied again, plus
// `namespace`, which the cluster-scoped Karpenter kinds never have.
constexpr std::array<std::string_view, 9> kDroppedSilently = {
    "uid",      "resourceVersion",   "creationTimestamp",          "managedFields", "generation",
    "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", "namespace"};

constexpr std::array<std::string_view, 5> kKeptMetadata = {"name", "generateName", "labels",
                                                           "annotations", "finalizers"};

template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view value) {
  for (std::string_view entry : list) {
    if (entry == value) return true;
  }
  return false;
}

}  // namespace

void Reporter::Note(std::string pointer, std::string message) {
  notes_.push_back(ConversionNote{object_index_, std::move(pointer), std::move(message)});
}

void Reporter::Error(std::string pointer, std::string message) {
  errors_.push_back(ConversionNote{object_index_, std::move(pointer), std::move(message)});
}

std::string Pointer(std::string_view base, std::string_view token) {
  std::string out(base);
  out += '/';
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Pointer(std::string_view base, std::size_t index) {
  return std::string(base) + "/" + std::to_string(index);
}

const Json* Find(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string StringAt(const Json& object, std::string_view key) {
  const Json* value = Find(object, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

std::string GoDurationFromSeconds(std::int64_t seconds) {
  const std::int64_t hours = seconds / 3600;
  const std::int64_t minutes = (seconds % 3600) / 60;
  const std::int64_t rest = seconds % 60;
  if (hours > 0) {
    return std::to_string(hours) + "h" + std::to_string(minutes) + "m" + std::to_string(rest) + "s";
  }
  if (minutes > 0) return std::to_string(minutes) + "m" + std::to_string(rest) + "s";
  return std::to_string(rest) + "s";
}

std::optional<std::int64_t> SecondsAt(const Json& object, std::string_view key,
                                      std::string_view object_pointer, Reporter& reporter) {
  const Json* value = Find(object, key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  // Go's time.Duration holds at most ~292 years; larger TTLs never were valid upstream.
  constexpr std::int64_t kMaxSeconds = 9'223'372'036;
  if (value->is_number_unsigned()) {
    if (value->get<std::uint64_t>() <= static_cast<std::uint64_t>(kMaxSeconds)) {
      return value->get<std::int64_t>();
    }
  } else if (value->is_number_integer()) {
    const auto seconds = value->get<std::int64_t>();
    if (seconds >= 0 && seconds <= kMaxSeconds) return seconds;
  }
  reporter.Error(Pointer(object_pointer, key),
                 "expected a non-negative integer number of seconds, got " + value->dump());
  return std::nullopt;
}

Json ConvertedMetadata(const Json& source, Reporter& reporter) {
  Json metadata = Json::object();
  const Json* source_metadata = Find(source, "metadata");
  if (source_metadata == nullptr) return metadata;
  if (!source_metadata->is_object()) {
    reporter.Error("/metadata", "metadata is not an object");
    return metadata;
  }
  for (const auto& [key, value] : source_metadata->items()) {
    if (Contains(kKeptMetadata, key)) {
      metadata[key] = value;
    } else if (!Contains(kDroppedSilently, key)) {
      reporter.Note(Pointer("/metadata", key),
                    "dropped: converted objects keep only name, labels, annotations and "
                    "finalizers, as karpenter-convert did");
    }
  }
  return metadata;
}

Json NewObject(std::string_view api_version, std::string_view kind, Json metadata, Json spec) {
  Json object = Json::object();
  object["apiVersion"] = api_version;
  object["kind"] = kind;
  object["metadata"] = std::move(metadata);
  object["spec"] = std::move(spec);
  return object;
}

void CarryUnknownTopLevel(const Json& source, Json& target, Reporter& reporter) {
  for (const auto& [key, value] : source.items()) {
    if (key == "apiVersion" || key == "kind" || key == "metadata" || key == "spec" ||
        key == "status") {
      continue;
    }
    target[key] = value;
    reporter.Note(Pointer("", key), "unknown top-level field carried unchanged");
  }
}

std::string Describe(const Json& object) {
  const Json* metadata = Find(object, "metadata");
  std::string name = metadata == nullptr ? std::string() : StringAt(*metadata, "name");
  return StringAt(object, "kind") + "/" + (name.empty() ? "<unnamed>" : name);
}

}  // namespace karpenter::api::convert
