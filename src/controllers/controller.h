// Controller: one reconciler of the controllers layer. A controller is told which keys to look
// at (an object's "namespace/name", or a fixed key for singletons such as the provisioner),
// reads the cluster and cloud ports, acts, and says when it wants to look again. It keeps no
// state that cannot be rebuilt from the ports: a restarted controller converges.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "kube/scoped_watch.h"

namespace karpenter::controllers {

struct ReconcileResult {
  // Look at the key again after this long (also when nothing changes); nullopt: only when a
  // watch enqueues it again.
  std::optional<core::Duration> requeue_after;

  static ReconcileResult Done() { return {}; }
  static ReconcileResult After(core::Duration delay) { return {delay}; }
};

class Controller {
 public:
  virtual ~Controller() = default;
  // Short and unique: "provisioner", "nodeclaim.lifecycle", "termination", ...
  virtual std::string_view Name() const = 0;
  virtual ReconcileResult Reconcile(const std::string& key) = 0;

  // Keeps `watch` for the controller's lifetime: it stops when the controller (and so its
  // manager) goes, never calling into a destroyed one.
  void Hold(kube::ScopedWatch watch) { watches_.push_back(std::move(watch)); }

 private:
  std::vector<kube::ScopedWatch> watches_;
};

}  // namespace karpenter::controllers
