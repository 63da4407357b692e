#include "catalog/unavailable_offerings.h"

#include <iterator>

namespace karpenter::catalog {

void UnavailableOfferings::MarkUnavailable(const OfferingKey& key, Time now,
                                           std::chrono::nanoseconds ttl) {
  expiry_.insert_or_assign(key, now + ttl);
  ++seq_num_;
}

bool UnavailableOfferings::IsAvailable(const OfferingKey& key, Time now) const {
  auto it = expiry_.find(key);
  return it == expiry_.end() || now > it->second;
}

bool UnavailableOfferings::AnyExpiresBetween(Time from, Time to) const {
  for (const auto& [key, expiry] : expiry_) {
    if (from <= expiry && expiry < to) return true;
  }
  return false;
}

void UnavailableOfferings::Expire(Time now) {
  for (auto it = expiry_.begin(); it != expiry_.end();) {
    it = now > it->second ? expiry_.erase(it) : std::next(it);
  }
}

}  // namespace karpenter::catalog
