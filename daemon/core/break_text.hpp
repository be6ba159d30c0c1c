#pragma once

#include <string>

#include "core/stretch.hpp"

namespace postured {

// "Hold 20s · 2 times · each side"
std::string dose_line(const Stretch& stretch);

// The steps as one paragraph, which wraps into the fewest lines.
std::string steps_paragraph(const Stretch& stretch);

// The dose line, the steps numbered, and the safety line: a break in a terminal.
std::string break_body(const Stretch& stretch);

}  // namespace postured
