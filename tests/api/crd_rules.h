// Table-driven tests of every validation rule of upstream's CRDs: each row mutates a minimal
// valid object twice, once staying valid (no error at all) and once breaking exactly the rule it
// covers (an error at the expected pointer whose message contains the expected text). A coverage
// test walks the compiled schemas and fails for any rule, pattern, enum, bound, format, list type
// or required field that no row covers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/json.h"

namespace karpenter::api::crd_rules {

// Sets the value at a JSON pointer (creating parents), or removes it.
struct Op {
  std::string pointer;
  std::optional<Json> value;  // nullopt: remove
};
using Patch = std::vector<Op>;

inline Op Set(std::string pointer, Json value) { return {std::move(pointer), std::move(value)}; }
inline Op Remove(std::string pointer) { return {std::move(pointer), std::nullopt}; }

struct Row {
  // The schema location and keyword covered: "<location>#<keyword>", where location is as in
  // schema::Schema::location and keyword is pattern, enum, minimum, maximum, minLength,
  // maxLength, minItems, maxItems, minProperties, maxProperties, format, list-type,
  // required:<field> or rule:<index>.
  std::string covers;
  Patch valid;
  Patch invalid;
  std::string pointer;  // where the error must be reported
  std::string message;  // text the error message must contain
  // For transition rules: both objects are updates of `base + old`.
  bool update = false;
  Patch old = {};
  // The keyword's field has a default, so through the API server (which defaults first) it can
  // never be missing: the row validates without defaulting to show the keyword itself works.
  bool without_defaults = false;
  // The keyword has no effect in the API server (a string keyword on an array): `invalid` must
  // be accepted, which documents that we match the server.
  bool inert = false;
};

// Minimal valid objects.
Json NodePoolBase();
Json NodeClaimBase();
Json EC2NodeClassBase();

std::vector<Row> NodePoolRows();
std::vector<Row> NodeClaimRows();
std::vector<Row> EC2NodeClassRows();

// Rows shared by NodePool (under spec.template.spec) and NodeClaim (under spec). `at` is the
// JSON pointer of the object holding the fields, `loc` its schema location.
std::vector<Row> NodeClaimSpecRows(const std::string& at, const std::string& loc,
                                   bool nodepool);
// Rows for status.conditions; `strict` when message and reason are required (NodePool,
// EC2NodeClass), `list_map` when the list is a map keyed by type.
std::vector<Row> ConditionRows(bool strict, bool list_map);
// A resource quantity map (limits, requests, capacity, ...).
Row QuantityPatternRow(const std::string& at, const std::string& loc);

// n copies of what `make(i)` returns, as a Json array.
template <typename F>
Json Repeat(int n, F make) {
  Json out = Json::array();
  for (int i = 0; i < n; ++i) out.push_back(make(i));
  return out;
}

}  // namespace karpenter::api::crd_rules
