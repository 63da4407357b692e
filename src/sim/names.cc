#include "sim/names.h"

#include <cstdint>
#include <string>

namespace karpenter::sim {
namespace {

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint32_t Fnv1a32(std::string_view text) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 16777619u;
  }
  return hash;
}

}  // namespace

uint64_t StableHash(std::string_view text, uint64_t seed) {
  uint64_t hash = 14695981039346656037ULL ^ SplitMix64(seed);
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return SplitMix64(hash);
}

std::string NameSuffix(uint64_t hash, std::size_t length) {
  std::string suffix;
  for (std::size_t i = 0; i < length; ++i) {
    suffix.push_back(kNameAlphabet[hash % kNameAlphabet.size()]);
    hash /= kNameAlphabet.size();
    // 27^13 > 2^64: refresh the bits long before they run out.
    if (i % 8 == 7) hash = SplitMix64(hash + i);
  }
  return suffix;
}

std::string PodTemplateHash(const api::Json& pod_template) {
  const std::string digits = std::to_string(Fnv1a32(pod_template.dump()));
  std::string encoded;
  for (unsigned char c : digits) encoded.push_back(kNameAlphabet[c % kNameAlphabet.size()]);
  return encoded;
}

std::string NameGenerator::Generate(std::string_view prefix) {
  auto it = attempts_.find(prefix);
  if (it == attempts_.end()) it = attempts_.emplace(std::string(prefix), 0).first;
  for (;;) {
    std::string name(prefix);
    name += NameSuffix(StableHash(prefix, seed_ + it->second++));
    if (taken_.insert(name).second) return name;
  }
}

}  // namespace karpenter::sim
