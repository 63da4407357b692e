#include "core/resource_list.h"

#include <algorithm>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace karpenter::core {
namespace {

bool NameLess(const ResourceList::Entry& entry, std::string_view name) {
  return entry.first < name;
}

}  // namespace

ResourceList::ResourceList(std::initializer_list<std::pair<std::string_view, Quantity>> entries) {
  entries_.reserve(entries.size());
  for (const auto& [name, quantity] : entries) Set(name, quantity);
}

Result<ResourceList> ResourceList::Parse(
    std::initializer_list<std::pair<std::string_view, std::string_view>> entries) {
  ResourceList list;
  list.entries_.reserve(entries.size());
  for (const auto& [name, text] : entries) {
    Result<Quantity> quantity = Quantity::Parse(text);
    if (!quantity) {
      return Fail("resource \"" + std::string(name) + "\": " + quantity.error().message);
    }
    list.Set(name, *quantity);
  }
  return list;
}

std::vector<ResourceList::Entry>::iterator ResourceList::LowerBound(std::string_view name) {
  return std::lower_bound(entries_.begin(), entries_.end(), name, NameLess);
}

std::vector<ResourceList::Entry>::const_iterator ResourceList::LowerBound(
    std::string_view name) const {
  return std::lower_bound(entries_.begin(), entries_.end(), name, NameLess);
}

const Quantity* ResourceList::Find(std::string_view name) const {
  auto it = LowerBound(name);
  return it != entries_.end() && it->first == name ? &it->second : nullptr;
}

Quantity ResourceList::Get(std::string_view name) const {
  const Quantity* quantity = Find(name);
  return quantity != nullptr ? *quantity : Quantity();
}

void ResourceList::Set(std::string_view name, Quantity quantity) {
  auto it = LowerBound(name);
  if (it != entries_.end() && it->first == name) {
    it->second = quantity;
    return;
  }
  entries_.emplace(it, std::string(name), quantity);
}

bool ResourceList::Erase(std::string_view name) {
  auto it = LowerBound(name);
  if (it == entries_.end() || it->first != name) return false;
  entries_.erase(it);
  return true;
}

void ResourceList::Add(const ResourceList& other) {
  // One merge pass over both sorted vectors.
  std::vector<Entry> merged;
  merged.reserve(entries_.size() + other.entries_.size());
  auto mine = entries_.begin();
  auto theirs = other.entries_.begin();
  while (mine != entries_.end() || theirs != other.entries_.end()) {
    if (theirs == other.entries_.end() || (mine != entries_.end() && mine->first < theirs->first)) {
      merged.push_back(std::move(*mine++));
    } else if (mine == entries_.end() || theirs->first < mine->first) {
      merged.push_back(*theirs++);
    } else {
      merged.emplace_back(std::move(mine->first), mine->second + theirs->second);
      ++mine;
      ++theirs;
    }
  }
  entries_ = std::move(merged);
}

void ResourceList::Subtract(const ResourceList& other) {
  for (Entry& entry : entries_) {
    if (const Quantity* quantity = other.Find(entry.first)) entry.second -= *quantity;
  }
}

bool ResourceList::Fits(const ResourceList& available) const {
  for (const Entry& entry : available.entries_) {
    if (entry.second.Sign() < 0) return false;
  }
  for (const Entry& entry : entries_) {
    if (entry.second > available.Get(entry.first)) return false;
  }
  return true;
}

ResourceList ResourceList::Max(const ResourceList& a, const ResourceList& b) {
  ResourceList result = a;
  for (const Entry& entry : b.entries_) {
    const Quantity* current = result.Find(entry.first);
    if (current == nullptr || entry.second > *current) result.Set(entry.first, entry.second);
  }
  return result;
}

bool ResourceList::IsZero() const {
  return std::all_of(entries_.begin(), entries_.end(),
                     [](const Entry& entry) { return entry.second.IsZero(); });
}

std::string ResourceList::ToString() const {
  std::string out = "{";
  for (const Entry& entry : entries_) {
    if (out.size() > 1) out.append(", ");
    out.append(entry.first).append(": ").append(entry.second.ToString());
  }
  out.push_back('}');
  return out;
}

void PrintTo(const ResourceList& list, std::ostream* out) { *out << list.ToString(); }

}  // namespace karpenter::core
