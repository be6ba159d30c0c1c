#include "program_datadir.hpp"

#include <filesystem>

namespace postured {

std::string program_datadir() {
    std::error_code ec;
    auto program = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    return (program.parent_path().parent_path() / "share").lexically_normal().string();
}

}  // namespace postured
