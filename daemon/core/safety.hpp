#pragma once

#include <string_view>

namespace postured {

// The articles' one caution, shown with every stretch.
inline constexpr std::string_view safety_line = "Stretch only as far as is comfortable.";

}  // namespace postured
