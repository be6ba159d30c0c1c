#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace postured {

// The key in `known` nearest to `key` by edit distance, if it is close enough to be a typo.
std::optional<std::string_view> nearest_key(std::string_view key,
                                            const std::vector<std::string_view>& known);

}  // namespace postured
