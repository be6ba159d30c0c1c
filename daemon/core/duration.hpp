#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace postured {

// Durations as people write them: "45s", "10m", "1h30m", "1h 30m". Units in order h, m, s.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

// The inverse, for messages: "1h30m", "26m", "45s", "0s".
std::string format_duration(std::chrono::seconds d);

}  // namespace postured
