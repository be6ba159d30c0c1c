#pragma once

#include <string_view>

#include "core/language.hpp"

namespace postured {

// The caution, as the articles give it ("Do not push the stretch beyond what is comfortable"),
// shown with every stretch before its steps.
inline constexpr const char* safety_line = N_("Stretch only as far as is comfortable.");

// The one thing the articles say to do every hour: the thoracic extension, a posture reset. It
// comes with every break, beside the stretch, unless the stretch is the reset itself.
inline constexpr std::string_view posture_reset_id = "thoracic-extension";
inline constexpr const char* posture_reset_line =
    N_("Hourly reset: shoulder blades together 3–5s, 10 times.");

}  // namespace postured
