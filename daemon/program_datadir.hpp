#pragma once

#include <string>

namespace postured {

// The share directory beside the running program (../share from its bin/), so that an install
// under any prefix, and the build tree, find their own data and translations.
std::string program_datadir();

}  // namespace postured
