// A problem with one field of one object, located by JSON pointer. The caller turns it into a
// Diagnostic with file:line and the object's name.
#pragma once

#include <string>
#include <vector>

namespace karpenter::api {

struct FieldError {
  std::string pointer;  // "/spec/template/spec/requirements/0/key"
  std::string message;
};

using FieldErrors = std::vector<FieldError>;

}  // namespace karpenter::api
