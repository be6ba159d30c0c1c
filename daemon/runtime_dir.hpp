#pragma once

#include <optional>
#include <string>

namespace postured {

// Where the control socket lives: $XDG_RUNTIME_DIR/postured, or /run/user/UID/postured when the
// variable is unset but that directory is the user's. Nothing when neither is there.
std::optional<std::string> runtime_dir();

inline std::string socket_path(const std::string& dir) {
    return dir + "/control.sock";
}

}  // namespace postured
