// Codec of core/v1 Container (regular and init containers): name, resources, ports and
// restartPolicy. Decoding also checks what the API server checks about them.
#pragma once

#include <vector>

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "api/model/pod.h"

namespace karpenter::api::codec {

// Reads spec.containers and spec.initContainers of the pod spec `spec`. Errors: a missing
// name, a name used twice (across both lists), a negative quantity, a request above its
// limit, a port outside 1-65535, an unknown protocol, an init container restartPolicy other
// than Always.
void ReadContainers(const FieldReader& spec, std::vector<Container>& containers,
                    std::vector<Container>& init_containers);

void WriteContainer(const Container& container, FieldWriter& writer);

}  // namespace karpenter::api::codec
