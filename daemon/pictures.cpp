#include "pictures.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace postured {

namespace {

std::string resolve(const std::string& picture, const std::string& config_file) {
    if (picture.starts_with("~/")) {
        const char* home = std::getenv("HOME");
        return std::string(home ? home : "") + picture.substr(1);
    }
    if (picture.front() == '/') return picture;
    return (std::filesystem::path(config_file).parent_path() / picture).string();
}

// Why the server could not read it, or nothing when it can.
std::optional<std::string> unreadable(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return std::strerror(errno);
    struct stat st {};
    std::optional<std::string> why;
    if (fstat(fd, &st) != 0)
        why = std::strerror(errno);
    else if (!S_ISREG(st.st_mode))
        why = "it is not a file";
    else if (st.st_size == 0)
        why = "it is empty";
    close(fd);
    return why;
}

}  // namespace

void find_pictures(std::vector<Stretch>& stretches, const std::vector<std::string>& data_dirs,
                   const std::optional<std::string>& draw_dir, Diagnostics& diagnostics) {
    auto warn = [&](const Where& where, std::string problem) {
        diagnostics.push_back({Diagnostic::Severity::warning, where, "stretch.picture",
                               std::move(problem) + "; the break shows without it"});
    };
    bool made_draw_dir = false;
    for (auto& stretch : stretches) {
        if (!stretch.picture.empty()) {
            auto path = resolve(stretch.picture, stretch.picture_where.path);
            stretch.picture.clear();
            if (auto why = unreadable(path))
                warn(stretch.picture_where, "cannot read " + path + ": " + *why);
            else
                stretch.picture = path;
            continue;
        }
        if (!stretch.pose) continue;
        for (auto& dir : data_dirs) {
            auto path = dir + "/postured/stretches/" + stretch.id + ".png";
            if (!unreadable(path)) {
                stretch.picture = path;
                break;
            }
        }
        if (!stretch.picture.empty() || !draw_dir) continue;
        auto path = *draw_dir + "/" + stretch.id + ".svg";
        std::error_code ec;
        if (!made_draw_dir)
            made_draw_dir = std::filesystem::create_directories(*draw_dir, ec) || !ec;
        auto aside = path + ".new";
        if (made_draw_dir && (std::ofstream(aside) << pose_svg(*stretch.pose)) &&
            std::rename(aside.c_str(), path.c_str()) == 0)
            stretch.picture = path;
        else
            warn(stretch.where, "cannot draw its pose into " + path + ": " + std::strerror(errno));
    }
}

}  // namespace postured
