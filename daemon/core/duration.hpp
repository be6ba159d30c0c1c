#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace postured {

// The longest duration anyone can give: a year and a day.
inline constexpr std::chrono::seconds longest_duration{366LL * 24 * 3600};

// Durations as people write them: "45s", "10m", "1h30m", "1h 30m". Units in order h, m, s.
// Longer than longest_duration is no duration.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

// The inverse, for the config, the wire and the journal: "1h30m", "26m", "45s", "0s".
std::string format_duration(std::chrono::seconds d);

// The same for people, as their language abbreviates hours, minutes and seconds.
std::string duration_text(std::chrono::seconds d);

}  // namespace postured
