#pragma once

#include <string>

namespace postured {

// Creates `dir` (mode 0700) or checks the one there: it must be a directory of this user's, not
// a symlink; its mode is tightened, not trusted. Throws std::runtime_error with a message for
// the user otherwise.
void make_private_dir(const std::string& dir);

}  // namespace postured
