// v1alpha1 selectors were flat string maps where a few special keys carried IDs, names and
// owners. v1 selector terms are a list: each term is ANDed inside and the terms are ORed.
// karpenter-convert expanded the special keys into one term per value (a cross product for
// AMIs); we do the same, except that v1 refuses a term combining `id` with anything else, so an
// ID selector keeps only its IDs (they already pin the selection) and the rest is reported.
#include <string>
#include <vector>

#include "api/convert/converters.h"

namespace karpenter::api::convert {
namespace {

// "a, b,,c" -> {"a", "b", "c"}: upstream split on commas and trimmed spaces.
std::vector<std::string> SplitList(const std::string& value) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t end = value.find(',', start);
    if (end == std::string::npos) end = value.size();
    std::string item = value.substr(start, end - start);
    const auto first = item.find_first_not_of(' ');
    const auto last = item.find_last_not_of(' ');
    if (first != std::string::npos) items.push_back(item.substr(first, last - first + 1));
    start = end + 1;
  }
  return items;
}

bool IsIdKey(const std::string& key) { return key == "aws-ids" || key == "aws::ids"; }

// The parts of a v1alpha1 selector map.
struct ParsedSelector {
  std::vector<std::string> ids;
  std::vector<std::string> names;
  std::vector<std::string> owners;
  Json tags = Json::object();
};

ParsedSelector Parse(const Json& selector, std::string_view pointer, bool ami, Reporter& reporter) {
  ParsedSelector parsed;
  if (!selector.is_object()) {
    reporter.Error(std::string(pointer), "expected a map of strings");
    return parsed;
  }
  for (const auto& [key, value] : selector.items()) {
    const std::string item_pointer = Pointer(pointer, key);
    if (!value.is_string()) {
      reporter.Error(item_pointer, "expected a string value, got " + value.dump());
      continue;
    }
    const auto text = value.get<std::string>();
    if (IsIdKey(key)) {
      for (auto& id : SplitList(text)) parsed.ids.push_back(std::move(id));
    } else if (ami && key == "aws::name") {
      for (auto& name : SplitList(text)) parsed.names.push_back(std::move(name));
    } else if (ami && key == "aws::owners") {
      for (auto& owner : SplitList(text)) parsed.owners.push_back(std::move(owner));
    } else if (text.empty()) {
      // v1alpha1 read "" as "any value"; v1 rejects empty values and spells that "*".
      parsed.tags[key] = "*";
      reporter.Note(item_pointer, "empty tag value (any value) written as \"*\", v1's wildcard");
    } else {
      parsed.tags[key] = text;
    }
  }
  return parsed;
}

Json IdTerms(const std::vector<std::string>& ids) {
  Json terms = Json::array();
  for (const auto& id : ids) terms.push_back(Json{{"id", id}});
  return terms;
}

}  // namespace

Json SelectorTermsFromV1alpha1(const Json& selector, std::string_view pointer, Reporter& reporter) {
  ParsedSelector parsed = Parse(selector, pointer, /*ami=*/false, reporter);
  if (!parsed.ids.empty()) {
    if (!parsed.tags.empty()) {
      reporter.Note(std::string(pointer),
                    "tag filters dropped: a v1 selector term cannot combine id with tags, and "
                    "the ids already name the exact resources");
    }
    return IdTerms(parsed.ids);
  }
  Json terms = Json::array();
  if (!parsed.tags.empty()) terms.push_back(Json{{"tags", std::move(parsed.tags)}});
  return terms;
}

Json AmiSelectorTermsFromV1alpha1(const Json& selector, std::string_view pointer,
                                  Reporter& reporter) {
  ParsedSelector parsed = Parse(selector, pointer, /*ami=*/true, reporter);
  if (!parsed.ids.empty()) {
    if (!parsed.tags.empty() || !parsed.names.empty() || !parsed.owners.empty()) {
      reporter.Note(std::string(pointer),
                    "tag, name and owner filters dropped: a v1 AMI term cannot combine id with "
                    "other fields, and the ids already name the exact AMIs");
    }
    return IdTerms(parsed.ids);
  }
  if (parsed.tags.empty() && parsed.names.empty()) {
    if (!parsed.owners.empty()) {
      reporter.Error(std::string(pointer),
                     "aws::owners alone selects no AMI in v1: add aws::name or tags");
    }
    return Json::array();
  }
  // One term per owner x name, as karpenter-convert expanded them.
  const std::vector<std::string> owners =
      parsed.owners.empty() ? std::vector<std::string>{""} : parsed.owners;
  const std::vector<std::string> names =
      parsed.names.empty() ? std::vector<std::string>{""} : parsed.names;
  Json terms = Json::array();
  for (const auto& owner : owners) {
    for (const auto& name : names) {
      Json term = Json::object();
      if (!parsed.tags.empty()) term["tags"] = parsed.tags;
      if (!name.empty()) term["name"] = name;
      if (!owner.empty()) term["owner"] = owner;
      terms.push_back(std::move(term));
    }
  }
  return terms;
}

}  // namespace karpenter::api::convert
