// UnavailableOfferings: offerings that recently failed to launch (insufficient capacity), kept
// out of decisions for a while, as upstream's unavailable-offerings cache does. Time is a
// parameter, never read from a clock, so simulations and tests control it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>

#include "catalog/offering.h"
#include "core/clock.h"

namespace karpenter::catalog {

using Time = core::Time;

class UnavailableOfferings {
 public:
  // Upstream keeps an offering out for three minutes after an insufficient-capacity error.
  static constexpr std::chrono::nanoseconds kDefaultTtl = std::chrono::minutes(3);

  // Marks `key` unavailable from `now` until now + ttl inclusive. Marking again replaces the
  // expiry (a new error restarts the wait, even if the old one would have lasted longer).
  void MarkUnavailable(const OfferingKey& key, Time now,
                       std::chrono::nanoseconds ttl = kDefaultTtl);

  // False while a mark on `key` has not expired at `now`. As upstream's cache, an entry is
  // still in force at exactly its expiry and gone just after.
  bool IsAvailable(const OfferingKey& key, Time now) const;

  // Drops entries expired at `now` (housekeeping only: IsAvailable already ignores them).
  void Expire(Time now);

  // Entries held, expired or not.
  size_t size() const { return expiry_.size(); }
  // Whether an entry held turns available in (from, to]: availability at `to` differs from
  // availability at `from` only then (or after a mark, which seq_num() tells, or when Expire
  // dropped entries, which size() tells).
  bool AnyExpiresBetween(Time from, Time to) const;

  // Counts marks ever made, as upstream's SeqNum: a cache of derived data can compare it to
  // notice that availability may have changed.
  uint64_t seq_num() const { return seq_num_; }

 private:
  std::map<OfferingKey, Time> expiry_;
  uint64_t seq_num_ = 0;
};

}  // namespace karpenter::catalog
