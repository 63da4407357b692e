// Custom catalogs: instance types described by sim.karpenter-cpp.io/v1alpha1 InstanceType
// documents (api/model/instance_type.h) instead of the built-in AWS data. When a simulation's
// input holds such documents, they replace the AWS catalog.
#pragma once

#include <vector>

#include "catalog/catalog.h"
#include "catalog/instance_type.h"
#include "core/result.h"

namespace karpenter::api {
struct InstanceType;
}  // namespace karpenter::api

namespace karpenter::catalog {

// The catalog instance type a document describes:
//  - name: metadata.name; capacity and overhead (kubeReserved, systemReserved,
//    evictionThreshold) as written, so allocatable = capacity - their sum;
//  - requirements: spec.requirements, plus, for each of these keys the document leaves out,
//    what a node of the type is labelled with anyway (as upstream's fake and KWOK providers
//    label theirs): node.kubernetes.io/instance-type In [name], topology.kubernetes.io/zone In
//    the offerings' zones and karpenter.sh/capacity-type In the offerings' capacity types
//    (the last two only when there are offerings);
//  - offerings: zone, capacity type, price (PriceSource::kCustom) and availability (the
//    decoder defaults it to true).
// Fails, naming the document ("InstanceType/<name>") and the field, on an empty name, a
// requirement core::Requirement::From rejects, an unknown capacity type or a negative or
// non-finite price.
Result<InstanceType> InstanceTypeFromDocument(const api::InstanceType& document);

// The catalog of all `documents` (region ""), each per InstanceTypeFromDocument. Fails on the
// first bad document, or when two documents share a name (naming it).
Result<Catalog> CatalogFromDocuments(const std::vector<api::InstanceType>& documents);

}  // namespace karpenter::catalog
