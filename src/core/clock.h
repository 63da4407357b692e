// Clock: where controllers and simulations read the time. Decision code never reads a clock;
// it takes a time as a parameter. Controllers hold a Clock&, so the same code runs on the wall
// clock in production and on a virtual clock in simulations and tests.
#pragma once

#include <chrono>

namespace karpenter::core {

// The one time type of the project (the catalog's unavailable-offerings cache and the
// disruption snapshot use the same).
using Time = std::chrono::system_clock::time_point;
using Duration = std::chrono::system_clock::duration;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time Now() const = 0;
};

// A clock that only moves when told to: tests and the virtual-time simulation.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Time start = Time{}) : now_(start) {}
  Time Now() const override { return now_; }
  // Moves forward by `step` (a negative step is ignored: time never runs backwards).
  void Advance(Duration step) {
    if (step > Duration::zero()) now_ += step;
  }
  // Moves to `time` when it is later than now.
  void AdvanceTo(Time time) {
    if (time > now_) now_ = time;
  }

 private:
  Time now_;
};

}  // namespace karpenter::core
