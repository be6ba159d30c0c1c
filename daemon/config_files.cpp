#include "config_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sstream>

namespace postured {

namespace {

std::vector<std::string> split_paths(const char* value, const char* fallback) {
    std::string text = value && *value ? value : fallback;
    std::vector<std::string> out;
    std::stringstream stream(text);
    for (std::string dir; std::getline(stream, dir, ':');)
        if (!dir.empty() && dir.front() == '/')
            out.push_back(dir);  // XDG: relative paths are invalid
    return out;
}

std::string home_dir(const Getenv& getenv, const char* variable, const char* below_home) {
    if (const char* value = getenv(variable); value && *value == '/') return value;
    const char* home = getenv("HOME");
    return std::string(home ? home : "") + below_home;
}

bool exists(const std::string& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec);
}

const char* kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

// Only a regular file of a sane size is read: O_NONBLOCK keeps a FIFO from hanging the daemon,
// and the bound keeps a huge file (or /dev/zero behind a symlink) from filling its memory.
std::optional<std::string> read_small_file(const std::string& path, std::string& why) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        why = std::strerror(errno);
        return std::nullopt;
    }
    std::string text;
    struct stat st {};
    if (fstat(fd, &st) != 0) {
        why = std::strerror(errno);
    } else if (!S_ISREG(st.st_mode)) {
        why = std::string("it is ") + kind_of(st.st_mode) + ", not a file";
    } else {
        char buffer[16384];
        ssize_t n;
        while ((n = read(fd, buffer, sizeof buffer)) > 0 && text.size() <= max_config_bytes)
            text.append(buffer, static_cast<std::size_t>(n));
        if (n < 0)
            why = std::strerror(errno);
        else if (text.size() > max_config_bytes)
            why = "it is larger than " + std::to_string(max_config_bytes >> 20) +
                  " MiB, too large for a config file";
    }
    close(fd);
    if (!why.empty()) return std::nullopt;
    return text;
}

}  // namespace

ConfigSources find_config_sources(const Getenv& getenv, std::optional<std::string> explicit_file,
                                  const std::string& program_datadir) {
    ConfigSources sources;
    auto& data_dirs = sources.data_dirs;
    data_dirs.push_back(home_dir(getenv, "XDG_DATA_HOME", "/.local/share"));
    for (auto& dir : split_paths(getenv("XDG_DATA_DIRS"), "/usr/local/share:/usr/share"))
        data_dirs.push_back(dir);
    if (!program_datadir.empty()) data_dirs.push_back(program_datadir);
    if (!program_datadir.empty()) sources.picture_dirs.push_back(program_datadir);
    for (auto& dir : data_dirs)
        if (dir != program_datadir) sources.picture_dirs.push_back(dir);
    for (auto& dir : data_dirs) {
        if (exists(dir + "/postured/stretches.toml")) {
            sources.catalog = dir + "/postured/stretches.toml";
            break;
        }
    }

    if (explicit_file) {
        sources.files.push_back(*explicit_file);
        return sources;
    }
    auto system_dirs = split_paths(getenv("XDG_CONFIG_DIRS"), "/etc/xdg");
    for (auto dir = system_dirs.rbegin(); dir != system_dirs.rend(); ++dir)
        if (exists(*dir + "/postured/config.toml"))
            sources.files.push_back(*dir + "/postured/config.toml");
    auto user_file = home_dir(getenv, "XDG_CONFIG_HOME", "/.config") + "/postured/config.toml";
    if (exists(user_file)) sources.files.push_back(user_file);
    return sources;
}

ConfigParser read_config(const ConfigSources& sources) {
    ConfigParser parser;
    auto read = [&](const std::string& path, auto add) {
        std::string why;
        if (auto text = read_small_file(path, why))
            (parser.*add)(*text, path);
        else
            parser.add_unreadable(path, why);
    };
    if (sources.catalog)
        read(*sources.catalog, &ConfigParser::add_catalog);
    else
        parser.add_catalog(builtin_catalog, "(built-in catalog)");
    for (auto& file : sources.files)
        read(file, &ConfigParser::add_config);
    return parser;
}

}  // namespace postured
