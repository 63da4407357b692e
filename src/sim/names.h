// Deterministic names for what a simulation creates: pods of workloads and NodeClaims. Real
// controllers draw random suffixes; a simulation must give the same names on every run, so the
// suffixes come from a hash of stable inputs instead, in the same alphabet and length.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "api/json.h"

namespace karpenter::sim {

// The characters of Kubernetes' generated name suffixes (k8s.io/apimachinery util/rand): lower
// case letters and digits without vowels and look-alikes, so no word or ambiguity appears.
inline constexpr std::string_view kNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

// A 64-bit hash of `text` that is the same on every platform and run (FNV-1a, then a
// SplitMix64 finaliser so nearby inputs give unrelated values), mixed with `seed`.
uint64_t StableHash(std::string_view text, uint64_t seed = 0);

// `length` characters of kNameAlphabet drawn from `hash`.
std::string NameSuffix(uint64_t hash, std::size_t length = 5);

// The pod-template-hash label value of a Deployment's template, in the shape upstream gives it
// (the decimal 32-bit FNV-1a hash, each digit mapped into kNameAlphabet): a hash of the
// template's canonical JSON, so equal templates give equal hashes.
std::string PodTemplateHash(const api::Json& pod_template);

// Hands out names `prefix` + 5 characters of kNameAlphabet, never one already taken: the n-th
// name for a prefix depends only on the seed, the prefix and n (and on which names were taken).
class NameGenerator {
 public:
  explicit NameGenerator(uint64_t seed = 0) : seed_(seed) {}

  // Marks `name` as taken (an object of the input already has it).
  void Reserve(std::string name) { taken_.insert(std::move(name)); }
  bool IsTaken(std::string_view name) const { return taken_.contains(name); }

  // A fresh name starting with `prefix` (e.g. "default-" gives "default-x7k2p"); it is taken
  // from then on.
  std::string Generate(std::string_view prefix);

 private:
  uint64_t seed_;
  std::set<std::string, std::less<>> taken_;
  std::map<std::string, uint64_t, std::less<>> attempts_;  // per prefix: where to go on
};

}  // namespace karpenter::sim
