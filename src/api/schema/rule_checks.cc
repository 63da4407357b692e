// x-kubernetes-validations: CEL rules evaluated with `self` (and `oldSelf` for transition rules
// on update), reported with the messages of the apiextensions server.
#include <optional>
#include <string>

#include "api/schema/checks.h"
#include "api/schema/messages.h"

namespace karpenter::api::schema {
namespace {

// Kubernetes bounds the size of a message computed by messageExpression.
constexpr std::size_t kMaxMessageExpressionBytes = 5 * 1024;

std::string Trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t\n\r\f\v");
  if (b == std::string_view::npos) return "";
  return std::string(s.substr(b, s.find_last_not_of(" \t\n\r\f\v") - b + 1));
}

// The rule's message if it has one, else its source: how Kubernetes names a rule in errors.
std::string RuleErrorString(const ValidationRule& rule) {
  std::string message = Trim(rule.message);
  return message.empty() ? Trim(rule.rule) : message;
}

std::string MessageOrDefault(const ValidationRule& rule) {
  std::string message = Trim(rule.message);
  return message.empty() ? "failed rule: " + RuleErrorString(rule) : message;
}

// The message of a failed rule: messageExpression's result when it yields a usable string,
// else the static message, else "failed rule: <rule>".
std::string FailureDetail(const ValidationRule& rule, const cel::Value& self,
                          const cel::Value* old_self) {
  if (rule.message_program) {
    cel::Value message = rule.message_program->Evaluate(self, old_self);
    if (message.kind() == cel::Value::Kind::kString) {
      std::string text = Trim(message.AsString());
      if (!text.empty() && text.size() <= kMaxMessageExpressionBytes &&
          text.find('\n') == std::string::npos) {
        return text;
      }
    }
  }
  return MessageOrDefault(rule);
}

// The pointer below `pointer` that a rule's fieldPath (".a.b", "['a.b'].c") names.
std::string FieldPathPointer(const std::string& pointer, std::string_view field_path) {
  std::string out = pointer;
  std::size_t i = 0;
  while (i < field_path.size()) {
    std::string segment;
    if (field_path[i] == '.') {
      std::size_t end = field_path.find_first_of(".[", i + 1);
      if (end == std::string_view::npos) end = field_path.size();
      segment = std::string(field_path.substr(i + 1, end - i - 1));
      i = end;
    } else if (field_path.substr(i, 2) == "['") {
      std::size_t end = field_path.find("']", i + 2);
      if (end == std::string_view::npos) return pointer;
      segment = std::string(field_path.substr(i + 2, end - i - 2));
      i = end + 2;
    } else {
      return pointer;  // not a path this implementation understands: report at the node
    }
    out += "/" + EscapePointerSegment(segment);
  }
  return out;
}

std::string FailureMessage(const ValidationRule& rule, const Json& value,
                           const std::string& detail) {
  if (rule.reason == "FieldValueForbidden") return "Forbidden: " + detail;
  if (rule.reason == "FieldValueRequired") return std::string(kRequired) + ": " + detail;
  bool omit = value.is_object() || value.is_array();
  if (rule.reason == "FieldValueDuplicate") {
    return omit ? "Duplicate value" : DuplicateValue(value);
  }
  return omit ? InvalidOmitted(detail) : InvalidValue(value, detail);
}

// The message of a rule whose evaluation failed, in the apiextensions server's words.
std::string EvaluationErrorDetail(const ValidationRule& rule, const std::string& error) {
  if (error == cel::kCostLimitExceeded) {
    return "'" + error +
           "': no further validation rules will be run due to call cost exceeds limit for rule: " +
           RuleErrorString(rule);
  }
  if (error.starts_with("no such overload")) {
    return "'" + error +
           "': call arguments did not match a supported operator, function or macro signature "
           "for rule: " +
           RuleErrorString(rule);
  }
  return error + " evaluating rule: " + RuleErrorString(rule);
}

}  // namespace

void CheckRules(const Schema& schema, const Json& value, const Json* old_value,
                const std::string& pointer, bool ratcheted, Sink& sink) {
  if (schema.rules.empty()) return;
  cel::Value self = cel::Value::FromJson(value);
  std::optional<cel::Value> old_self;
  if (old_value != nullptr) old_self = cel::Value::FromJson(*old_value);
  Json type_name(std::string(TypeName(schema.type)));
  for (const ValidationRule& rule : schema.rules) {
    if (sink.cel_cancelled) return;
    bool transition = rule.program.ReferencesOldSelf();
    if (transition && !old_self) continue;  // transition rules need an old value, as on create
    const cel::Value* old_ptr = old_self ? &*old_self : nullptr;
    cel::Value result = rule.program.Evaluate(self, old_ptr);
    if (result.IsError()) {
      // Evaluation errors are reported even for unchanged values, as upstream does.
      sink.RuleError(pointer,
                    InvalidValue(type_name, EvaluationErrorDetail(rule, result.ErrorMessage())),
                    false);
      if (result.ErrorMessage() == cel::kCostLimitExceeded) sink.cel_cancelled = true;
      continue;
    }
    if (!result.IsBool()) {
      sink.RuleError(pointer,
                    InvalidValue(type_name, "rule did not evaluate to a bool: " +
                                                RuleErrorString(rule)),
                    false);
      continue;
    }
    if (result.AsBool()) continue;
    std::string detail = FailureDetail(rule, self, old_ptr);
    // Transition rules are never ratcheted: they exist to judge the change itself.
    sink.RuleError(FieldPathPointer(pointer, rule.field_path),
                  FailureMessage(rule, value, detail), ratcheted && !transition);
  }
}

}  // namespace karpenter::api::schema
