#include "scheduling/dense_resources.h"

#include <algorithm>

namespace karpenter::scheduling {

size_t ResourceIndex::Intern(std::string_view name) {
  size_t found = Find(name);
  if (found != npos) return found;
  names_.emplace_back(name);
  report_order_.push_back(names_.size() - 1);
  return names_.size() - 1;
}

void ResourceIndex::InternAll(const core::ResourceList& list) {
  for (const auto& [name, unused] : list) Intern(name);
}

size_t ResourceIndex::Find(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return i;
  }
  return npos;
}

Dense ToDense(const core::ResourceList& list, const ResourceIndex& index) {
  Dense dense(index.size(), 0);
  for (const auto& [name, quantity] : list) {
    size_t i = index.Find(name);
    if (i != ResourceIndex::npos) dense[i] = quantity.Nano();
  }
  return dense;
}

core::ResourceList ToList(const Dense& dense, const ResourceIndex& index) {
  core::ResourceList list;
  for (size_t i = 0; i < dense.size(); ++i) {
    if (dense[i] == 0) continue;
    bool binary = index.name(i) == core::kMemory || index.name(i) == core::kEphemeralStorage;
    list.Set(index.name(i), core::Quantity::FromNano(
                                dense[i], binary ? core::Format::kBinarySI : core::Format::kDecimalSI));
  }
  return list;
}

void AddInto(Dense& a, const Dense& b) {
  for (size_t i = 0; i < a.size(); ++i) a[i] += b[i];
}

Dense Minus(const Dense& a, const Dense& b) {
  Dense out = a;
  for (size_t i = 0; i < out.size(); ++i) out[i] -= b[i];
  return out;
}

Dense Min(const Dense& a, const Dense& b) {
  Dense out = a;
  for (size_t i = 0; i < out.size(); ++i) out[i] = std::min(a[i], b[i]);
  return out;
}

std::string FormatAmount(std::string_view resource, core::Int128 nano) {
  bool binary = resource == core::kMemory || resource == core::kEphemeralStorage;
  return core::Quantity::FromNano(nano, binary ? core::Format::kBinarySI : core::Format::kDecimalSI)
      .ToString();
}

}  // namespace karpenter::scheduling
