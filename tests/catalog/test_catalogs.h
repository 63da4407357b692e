// Built-in AWS catalogs with default settings, loaded once per test binary (loading is pure, so
// sharing the result between tests changes nothing they observe).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "catalog/aws_catalog.h"

namespace karpenter::catalog::testing {

inline const Catalog& DefaultCatalog(const std::string& region) {
  static std::map<std::string, Catalog> catalogs;
  auto it = catalogs.find(region);
  if (it == catalogs.end()) {
    auto catalog = LoadAwsCatalog(region);
    EXPECT_TRUE(catalog.has_value()) << (catalog ? "" : catalog.error().message);
    it = catalogs.emplace(region, catalog ? std::move(*catalog) : Catalog()).first;
  }
  return it->second;
}

// The type `name` in `region`'s default catalog; fails the test when it is missing.
inline const InstanceType& DefaultType(const std::string& region, const std::string& name) {
  static const InstanceType kMissing;
  const InstanceType* type = DefaultCatalog(region).Find(name);
  EXPECT_NE(type, nullptr) << name << " not in " << region;
  return type ? *type : kMissing;
}

}  // namespace karpenter::catalog::testing
