#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/diagnostic.hpp"

namespace postured {

// Gives each stretch the file of its picture, for the notification server to read: the user's
// own image (relative to the config file that names it), checked; else the picture drawn at build
// time, the first postured/stretches/ID.png in `data_dirs`; else its pose, drawn now as
// `draw_dir`/ID.svg (none drawn without a `draw_dir`). A picture that cannot be had is a warning
// where it was named: the break still comes, without it.
void find_pictures(std::vector<Stretch>& stretches, const std::vector<std::string>& data_dirs,
                   const std::optional<std::string>& draw_dir, Diagnostics& diagnostics);

}  // namespace postured
