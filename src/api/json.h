// The generic document type of the api layer. Objects keep their keys in the order the user
// wrote them, so a manifest read and written back is unchanged apart from defaults.
#pragma once

#include <nlohmann/json.hpp>

namespace karpenter::api {

using Json = nlohmann::ordered_json;

}  // namespace karpenter::api
