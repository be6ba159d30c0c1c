#pragma once

#include <optional>
#include <string>

#include "core/stretch.hpp"

namespace postured {

// "Hold 20s · 2 times · each side", or the stretch's own words for its dose.
std::string dose_line(const Stretch& stretch);

// The steps as one paragraph, which wraps into the fewest lines.
std::string steps_paragraph(const Stretch& stretch);

// The hourly posture reset, for a break whose stretch is not the reset itself.
std::optional<std::string> reset_line(const Stretch& stretch);

// The dose line, the caution, the steps numbered and the reset: a break in a terminal.
std::string break_body(const Stretch& stretch);

}  // namespace postured
