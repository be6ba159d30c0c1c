#pragma once

#include <string>

#include "core/stretch.hpp"

namespace postured {

// "Hold 20s · 2 times · each side"
std::string dose_line(const Stretch& stretch);

// The steps, numbered, the dose line and the safety line: the body of a break notification.
std::string break_body(const Stretch& stretch);

}  // namespace postured
