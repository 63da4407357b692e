// Helpers shared by the convert_*_test.cc files.
#pragma once

#include <string>
#include <vector>

#include "api/convert.h"

namespace karpenter::api::testing_util {

inline Json J(const char* text) { return Json::parse(text); }

// "index pointer" for each note, to assert exactly which places were reported, in order.
inline std::vector<std::string> Places(const std::vector<ConversionNote>& notes) {
  std::vector<std::string> out;
  for (const auto& note : notes) {
    out.push_back(std::to_string(note.object_index) + " " + note.pointer);
  }
  return out;
}

// The message of the first note at `pointer`.
inline std::string MessageAt(const std::vector<ConversionNote>& notes, const std::string& pointer) {
  for (const auto& note : notes) {
    if (note.pointer == pointer) return note.message;
  }
  return "<no message at " + pointer + ">";
}

}  // namespace karpenter::api::testing_util

// Compares as pretty JSON so a failure shows a readable diff; key order matters.
#define EXPECT_JSON_EQ(actual, expected) EXPECT_EQ((actual).dump(2), (expected).dump(2))
