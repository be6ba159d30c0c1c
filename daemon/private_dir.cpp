#include "private_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace postured {

void make_private_dir(const std::string& dir) {
    auto failed = [&](const std::string& what) {
        return std::runtime_error(what + " " + dir + ": " + std::strerror(errno));
    };
    if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) throw failed("cannot create");
    struct stat st {};
    if (lstat(dir.c_str(), &st) != 0) throw failed("cannot read");
    if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid())
        throw std::runtime_error(dir + " is not a directory of this user's; remove it");
    if ((st.st_mode & 077) != 0 && chmod(dir.c_str(), 0700) != 0) throw failed("cannot chmod");
}

}  // namespace postured
