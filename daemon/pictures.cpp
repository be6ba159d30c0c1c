#include "pictures.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/language.hpp"

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
        why = _("it is not a file");
    else if (st.st_size == 0)
        why = _("it is empty");
    close(fd);
    return why;
}

std::set<std::string> pictures_in(const std::string& dir) {
    std::set<std::string> names;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        names.insert(it->path().filename().string());
    return names;
}

}  // namespace

void find_pictures(std::vector<Stretch>& stretches, const std::vector<std::string>& data_dirs,
                   const std::optional<std::string>& draw_dir, Diagnostics& diagnostics) {
    auto warn = [&](const Where& where, std::string problem) {
        diagnostics.push_back(
            {Diagnostic::Severity::warning, where, "stretch.picture", std::move(problem)});
    };
    bool made_draw_dir = false;
    // Each directory is listed once, when first needed: a start opens none of the pictures (the
    // notifier checks the one it sends).
    std::vector<std::optional<std::set<std::string>>> listed(data_dirs.size());
    for (auto& stretch : stretches) {
        if (!stretch.picture.empty()) {
            auto path = resolve(stretch.picture, stretch.picture_where.path);
            stretch.picture.clear();
            if (auto why = unreadable(path))
                warn(stretch.picture_where,
                     formatted(_("cannot read %s: %s; the break shows without it"), path.c_str(),
                               why->c_str()));
            else
                stretch.picture = path;
            continue;
        }
        if (!stretch.pose) continue;
        for (std::size_t i = 0; i < data_dirs.size() && stretch.picture.empty(); ++i) {
            if (!listed[i]) listed[i] = pictures_in(data_dirs[i] + "/postured/stretches");
            if (listed[i]->contains(stretch.id + ".png"))
                stretch.picture = data_dirs[i] + "/postured/stretches/" + stretch.id + ".png";
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
            warn(stretch.where,
                 // TRANSLATORS: the stretch's pose; a file, then the system's reason.
                 formatted(_("cannot draw its pose into %s: %s; the break shows without it"),
                           path.c_str(), std::strerror(errno)));
    }
}

}  // namespace postured
