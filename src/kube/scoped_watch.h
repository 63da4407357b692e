// ScopedWatch: a watch that stops when its owner goes. A controller holds its watches so that
// none outlives it: a handler capturing a destroyed controller or manager would otherwise be
// called by the cluster's next delivery.
#pragma once

#include <functional>
#include <utility>

#include "kube/cluster.h"

namespace karpenter::kube {

class ScopedWatch {
 public:
  ScopedWatch() = default;
  // Starts watching `resource`, which must outlive the watch.
  template <class T>
  ScopedWatch(Resource<T>& resource, typename Resource<T>::Handler handler)
      : stop_([&resource, id = resource.Watch(std::move(handler))] { resource.Unwatch(id); }) {}
  ScopedWatch(ScopedWatch&& other) noexcept : stop_(std::exchange(other.stop_, nullptr)) {}
  ScopedWatch& operator=(ScopedWatch&& other) noexcept {
    if (this != &other) {
      Stop();
      stop_ = std::exchange(other.stop_, nullptr);
    }
    return *this;
  }
  ScopedWatch(const ScopedWatch&) = delete;
  ScopedWatch& operator=(const ScopedWatch&) = delete;
  ~ScopedWatch() { Stop(); }

  void Stop() {
    if (auto stop = std::exchange(stop_, nullptr)) stop();
  }

 private:
  std::function<void()> stop_;
};

}  // namespace karpenter::kube
