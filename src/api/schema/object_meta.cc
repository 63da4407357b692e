// The ObjectMeta rules the API server applies to every object, with apimachinery's messages.
#include <re2/re2.h>

#include <array>
#include <string>
#include <vector>

#include "api/schema/checks.h"
#include "api/schema/messages.h"

namespace karpenter::api::schema {
namespace {

constexpr std::size_t kMaxNameLength = 253;
constexpr std::size_t kMaxLabelLength = 63;
constexpr std::size_t kMaxAnnotationsBytes = 256 * 1024;

constexpr std::array<std::string_view, 15> kObjectMetaFields = {
    "name",          "generateName",      "namespace",
    "selfLink",      "uid",               "resourceVersion",
    "generation",    "creationTimestamp", "deletionTimestamp",
    "deletionGracePeriodSeconds", "labels", "annotations",
    "ownerReferences", "finalizers",      "managedFields"};

constexpr std::string_view kSubdomainFormat =
    R"([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)";
constexpr std::string_view kQualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
constexpr std::string_view kLabelValueFormat = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";

// The compiled form of one of the formats above (compiled once, immutable afterwards).
const RE2& Compiled(std::string_view format) {
  static const RE2 kSubdomain{std::string(kSubdomainFormat)};
  static const RE2 kQualifiedName{std::string(kQualifiedNameFormat)};
  static const RE2 kLabelValue{std::string(kLabelValueFormat)};
  if (format == kSubdomainFormat) return kSubdomain;
  if (format == kQualifiedNameFormat) return kQualifiedName;
  return kLabelValue;
}

bool FullMatch(const std::string& s, std::string_view format) {
  return RE2::FullMatch(s, Compiled(format));
}

// apimachinery's RegexError: the rule, examples, and the regex itself.
std::string RegexError(std::string_view message, std::string_view format,
                       const std::vector<std::string_view>& examples) {
  std::string out(message);
  out += " (e.g. ";
  for (std::size_t i = 0; i < examples.size(); ++i) {
    if (i > 0) out += " or ";
    out += "'" + std::string(examples[i]) + "', ";
  }
  return out + "regex used for validation is '" + std::string(format) + "')";
}

std::string MaxLength(std::size_t n) {
  return "must be no more than " + std::to_string(n) + " characters";
}

std::vector<std::string> SubdomainErrors(const std::string& value) {
  std::vector<std::string> errors;
  if (value.size() > kMaxNameLength) errors.push_back(MaxLength(kMaxNameLength));
  if (!FullMatch(value, kSubdomainFormat)) {
    errors.push_back(RegexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
        "or '.', and must start and end with an alphanumeric character",
        kSubdomainFormat, {"example.com"}));
  }
  return errors;
}

constexpr std::string_view kQualifiedNameMessage =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character";

std::vector<std::string> QualifiedNameErrors(const std::string& value) {
  std::vector<std::string> errors;
  std::size_t slash = value.find('/');
  std::string name = value;
  if (slash != std::string::npos) {
    if (value.find('/', slash + 1) != std::string::npos) {
      errors.push_back("a qualified name " +
                       RegexError(kQualifiedNameMessage, kQualifiedNameFormat,
                                  {"MyName", "my.name", "123-abc"}) +
                       " with an optional DNS subdomain prefix and '/' (e.g. "
                       "'example.com/MyName')");
      return errors;
    }
    std::string prefix = value.substr(0, slash);
    name = value.substr(slash + 1);
    if (prefix.empty()) {
      errors.push_back("prefix part must be non-empty");
    } else {
      for (const std::string& e : SubdomainErrors(prefix)) errors.push_back("prefix part " + e);
    }
  }
  if (name.empty()) {
    errors.push_back("name part must be non-empty");
  } else if (name.size() > kMaxLabelLength) {
    errors.push_back("name part " + MaxLength(kMaxLabelLength));
  }
  if (!FullMatch(name, kQualifiedNameFormat)) {
    errors.push_back("name part " + RegexError(kQualifiedNameMessage, kQualifiedNameFormat,
                                               {"MyName", "my.name", "123-abc"}));
  }
  return errors;
}

std::vector<std::string> LabelValueErrors(const std::string& value) {
  std::vector<std::string> errors;
  if (value.size() > kMaxLabelLength) errors.push_back(MaxLength(kMaxLabelLength));
  if (!FullMatch(value, kLabelValueFormat)) {
    errors.push_back(RegexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
        "or '.', and must start and end with an alphanumeric character",
        kLabelValueFormat, {"MyValue", "my_value", "12345"}));
  }
  return errors;
}

// ObjectMeta errors come first, as the API server checks metadata before the schema; the kinds
// that block CEL rules are recognised by their message.
void MetaError(Sink& sink, const std::string& pointer, std::string message, bool ratcheted) {
  bool blocking = message.starts_with(kRequired) || message.starts_with("Too long") ||
                  message.find(" in body must be of type ") != std::string::npos;
  sink.Error(pointer, std::move(message), ratcheted, blocking, Sink::Bucket::kMeta);
}

std::string TypeError(const std::string& pointer, const Json& value, std::string_view expected) {
  std::string actual = JsonKind(value);
  return InvalidValue(Json(actual), BodyPath(pointer) + " in body must be of type " +
                                        std::string(expected) + ": " + Json(actual).dump());
}

// A map of string to string (labels, annotations); reports entries that are not strings.
bool CheckStringMap(const Json& meta, const char* field, const std::string& pointer, Sink& sink) {
  if (!meta.contains(field) || meta[field].is_null()) return false;
  const Json& map = meta[field];
  if (!map.is_object()) {
    MetaError(sink, pointer, TypeError(pointer, map, "object"), false);
    return false;
  }
  bool ok = true;
  for (const auto& [key, value] : map.items()) {
    if (!value.is_string()) {
      std::string at = pointer + "/" + EscapePointerSegment(key);
      MetaError(sink, at, TypeError(at, value, "string"), false);
      ok = false;
    }
  }
  return ok;
}

void CheckName(const Json& meta, const std::string& pointer, Sink& sink) {
  auto text = [&](const char* field) -> std::string {
    return meta.contains(field) && meta[field].is_string() ? meta[field].get<std::string>() : "";
  };
  for (const char* field : {"name", "generateName"}) {
    if (meta.contains(field) && !meta[field].is_null() && !meta[field].is_string()) {
      std::string at = pointer + "/" + field;
      MetaError(sink, at, TypeError(at, meta[field], "string"), false);
    }
  }
  std::string name = text("name");
  std::string generate_name = text("generateName");
  if (name.empty() && generate_name.empty()) {
    MetaError(sink, pointer + "/name", std::string(kRequired) + ": name or generateName is required",
               false);
  }
  if (!name.empty()) {
    for (const std::string& e : SubdomainErrors(name)) {
      MetaError(sink, pointer + "/name", InvalidValue(Json(name), e), false);
    }
  }
  if (!generate_name.empty()) {
    // A prefix may end in '-': the server appends random characters to it.
    std::string masked = generate_name;
    if (masked.back() == '-') masked.back() = 'a';
    for (const std::string& e : SubdomainErrors(masked)) {
      MetaError(sink, pointer + "/generateName", InvalidValue(Json(generate_name), e), false);
    }
  }
}

void CheckLabelsAndAnnotations(const Json& meta, const std::string& pointer, Sink& sink) {
  if (CheckStringMap(meta, "labels", pointer + "/labels", sink)) {
    for (const auto& [key, value] : meta["labels"].items()) {
      std::string at = pointer + "/labels/" + EscapePointerSegment(key);
      for (const std::string& e : QualifiedNameErrors(key)) {
        MetaError(sink, at, InvalidValue(Json(key), e), false);
      }
      for (const std::string& e : LabelValueErrors(value.get<std::string>())) {
        MetaError(sink, at, InvalidValue(value, e), false);
      }
    }
  }
  if (CheckStringMap(meta, "annotations", pointer + "/annotations", sink)) {
    std::size_t total = 0;
    for (const auto& [key, value] : meta["annotations"].items()) {
      std::string lower = key;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      for (const std::string& e : QualifiedNameErrors(lower)) {
        MetaError(sink, pointer + "/annotations/" + EscapePointerSegment(key),
                   InvalidValue(Json(key), e), false);
      }
      total += key.size() + value.get_ref<const std::string&>().size();
    }
    if (total > kMaxAnnotationsBytes) {
      MetaError(sink, pointer + "/annotations",
                 "Too long: must have at most " + std::to_string(kMaxAnnotationsBytes) + " bytes",
                 false);
    }
  }
}

void CheckFinalizers(const Json& meta, const std::string& pointer, Sink& sink) {
  if (!meta.contains("finalizers") || meta["finalizers"].is_null()) return;
  const Json& finalizers = meta["finalizers"];
  std::string at = pointer + "/finalizers";
  if (!finalizers.is_array()) {
    MetaError(sink, at, TypeError(at, finalizers, "array"), false);
    return;
  }
  for (std::size_t i = 0; i < finalizers.size(); ++i) {
    std::string item_at = at + "/" + std::to_string(i);
    const Json& f = finalizers[i];
    if (!f.is_string()) {
      MetaError(sink, item_at, TypeError(item_at, f, "string"), false);
      continue;
    }
    std::string name = f.get<std::string>();
    for (const std::string& e : QualifiedNameErrors(name)) {
      MetaError(sink, item_at, InvalidValue(f, e), false);
    }
    bool standard = name == "kubernetes" || name == "orphan" || name == "foregroundDeletion";
    if (name.find('/') == std::string::npos && !standard) {
      MetaError(sink, item_at,
                 InvalidValue(f, "name is neither a standard finalizer name nor is it fully "
                                 "qualified"),
                 false);
    }
  }
}

}  // namespace

void CheckObjectMeta(const Json& metadata, const Json* old_metadata, const std::string& pointer,
                     Sink& sink) {
  CheckName(metadata, pointer, sink);
  CheckLabelsAndAnnotations(metadata, pointer, sink);
  CheckFinalizers(metadata, pointer, sink);
  for (const auto& [key, value] : metadata.items()) {
    bool known = false;
    for (std::string_view field : kObjectMetaFields) known = known || field == key;
    if (!known) {
      sink.Warning(pointer + "/" + EscapePointerSegment(key),
                   "unknown field \"" + BodyPath(pointer + "/" + EscapePointerSegment(key)) +
                       "\"");
    }
  }
  if (old_metadata != nullptr && old_metadata->is_object() && old_metadata->contains("name") &&
      metadata.contains("name") && (*old_metadata)["name"] != metadata["name"]) {
    MetaError(sink, pointer + "/name", InvalidValue(metadata["name"], "field is immutable"), false);
  }
}

}  // namespace karpenter::api::schema
