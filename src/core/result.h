// Errors as values. A function that can fail on bad input returns Result<T>; the caller
// decides what to do. Exceptions are kept for broken invariants only.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace karpenter {

// A recoverable failure with a message a person can act on.
struct Error {
  std::string message;

  friend bool operator==(const Error&, const Error&) = default;
};

template <typename T>
using Result = std::expected<T, Error>;

// Shorthand for `return Fail("...")` inside a function returning Result<T>.
inline std::unexpected<Error> Fail(std::string message) {
  return std::unexpected<Error>(Error{std::move(message)});
}

}  // namespace karpenter
