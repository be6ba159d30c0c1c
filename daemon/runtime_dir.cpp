#include "runtime_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

namespace postured {

std::optional<std::string> runtime_dir() {
    if (const char* dir = std::getenv("XDG_RUNTIME_DIR"); dir && *dir == '/')
        return std::string(dir) + "/postured";
    auto fallback = "/run/user/" + std::to_string(getuid());
    struct stat st {};
    if (stat(fallback.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == getuid())
        return fallback + "/postured";
    return std::nullopt;
}

}  // namespace postured
