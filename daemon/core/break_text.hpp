#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/stretch.hpp"

namespace postured {

// The stretch's words in the user's language: the catalog's translated, a user's own as written.
std::string shown_name(const Stretch& stretch);
std::vector<std::string> shown_steps(const Stretch& stretch);

// The muscles it works: "rhomboids, trapezius".
std::string shown_muscles(const Stretch& stretch);

// "Hold 20s · 2 times · each side", or the stretch's own words for its dose.
std::string dose_line(const Stretch& stretch);

// The steps as one paragraph, which wraps into the fewest lines.
std::string steps_paragraph(const Stretch& stretch);

// The caution, shown with every stretch before its steps.
std::string safety_text();

// The hourly posture reset, for a break whose stretch is not the reset itself.
std::optional<std::string> reset_line(const Stretch& stretch);

// The dose line, the caution, the steps numbered and the reset: a break in a terminal.
std::string break_body(const Stretch& stretch);

}  // namespace postured
