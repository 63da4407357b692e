// The pieces of schema validation, each checking one aspect of one node. Internal to the schema
// package; validator.cc walks the tree and calls them.
#pragma once

#include <string>

#include "api/json.h"
#include "api/schema/schema.h"
#include "api/schema/validator.h"

namespace karpenter::api::schema {

// Collects what the checks find, in the API server's order: ObjectMeta errors, schema errors,
// list-type errors, then CEL rule errors. An error about a value that an update left unchanged
// is "ratcheted", as the API server does: a schema error is dropped, a CEL error becomes a
// warning.
class Sink {
 public:
  enum class Bucket { kMeta, kSchema, kListType, kRule };

  explicit Sink(ValidationOutput& out) : out_(out) {}

  // `blocking` marks the error types after which the API server does not evaluate CEL rules
  // (type, enum, required, too long, too many): the object lacks the shape rules expect.
  void Error(const std::string& pointer, std::string message, bool ratcheted,
             bool blocking = false, Bucket bucket = Bucket::kSchema) {
    if (ratcheted) return;
    blocked_ = blocked_ || blocking;
    buckets_[static_cast<int>(bucket)].push_back({pointer, std::move(message)});
  }
  void RuleError(const std::string& pointer, std::string message, bool ratcheted) {
    if (ratcheted) {
      out_.warnings.push_back({pointer, std::move(message)});
    } else {
      buckets_[static_cast<int>(Bucket::kRule)].push_back({pointer, std::move(message)});
    }
  }
  void Warning(const std::string& pointer, std::string message) {
    out_.warnings.push_back({pointer, std::move(message)});
  }

  // Whether a blocking error was reported: then CEL rules are not evaluated.
  bool blocked() const { return blocked_; }

  // Moves the errors to the output in order; call once, at the end.
  void Finish() {
    for (FieldErrors& bucket : buckets_) {
      out_.errors.insert(out_.errors.end(), bucket.begin(), bucket.end());
      bucket.clear();
    }
  }

  // Once a rule exceeds its cost limit no further rule runs, as in the API server.
  bool cel_cancelled = false;

 private:
  ValidationOutput& out_;
  FieldErrors buckets_[4];
  bool blocked_ = false;
};

// Whether `value` has a type `schema` allows; reports the error when not.
bool CheckType(const Schema& schema, const Json& value, const std::string& pointer,
               bool ratcheted, Sink& sink);

// The keywords that look at the value itself: enum, string length/pattern/format, numeric
// bounds, the size bounds of arrays and objects, anyOf.
void CheckValueKeywords(const Schema& schema, const Json& value, const std::string& pointer,
                        bool ratcheted, Sink& sink);

// x-kubernetes-validations of `schema` on `value`; `old_value` is the correlated value before
// an update, or null (then transition rules are skipped).
void CheckRules(const Schema& schema, const Json& value, const Json* old_value,
                const std::string& pointer, bool ratcheted, Sink& sink);

// Kubernetes ObjectMeta rules for the root's metadata: name, generateName, labels,
// annotations, finalizers, immutability of the name on update.
void CheckObjectMeta(const Json& metadata, const Json* old_metadata, const std::string& pointer,
                     Sink& sink);

}  // namespace karpenter::api::schema
