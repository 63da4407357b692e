// Splits a CEL expression into tokens. Internal to the CEL parser.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace karpenter::api::cel {

struct Token {
  enum class Kind { kIdent, kInt, kUint, kDouble, kString, kPunct, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;  // identifier, punctuation ("&&", "?"), or the decoded string literal
  std::int64_t int_value = 0;
  std::uint64_t uint_value = 0;
  double double_value = 0;
  int offset = 0;  // byte offset in the source, for messages
};

// Tokenizes `source`; the last token is always kEnd. Fails on a character or literal CEL does not
// accept (unterminated string, bad escape, integer out of range).
Result<std::vector<Token>> Tokenize(std::string_view source);

}  // namespace karpenter::api::cel
