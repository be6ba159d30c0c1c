#include "config_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "core/language.hpp"

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

// Why a file has no text, in the language of the moment (the system's reason stays English in
// the daemon): the same reading may be told twice, once in English for the journal and once in
// the user's language for their answer.
std::string why_unreadable(const ConfigTexts::File& file) {
    if (file.error) return std::strerror(file.error);
    if (S_ISDIR(file.mode)) return _("it is a directory, not a file");
    if (S_ISFIFO(file.mode)) return _("it is a FIFO, not a file");
    if (S_ISCHR(file.mode)) return _("it is a character device, not a file");
    if (S_ISBLK(file.mode)) return _("it is a block device, not a file");
    if (S_ISSOCK(file.mode)) return _("it is a socket, not a file");
    if (!S_ISREG(file.mode)) return _("it is not a regular file");
    return formatted(_("it is larger than %zu MiB, too large for a config file"),
                     max_config_bytes >> 20);
}

// Only a regular file of a sane size is read: O_NONBLOCK keeps a FIFO from hanging the daemon,
// and the bound keeps a huge file (or /dev/zero behind a symlink) from filling its memory.
ConfigTexts::File read_small_file(const std::string& path) {
    ConfigTexts::File file;
    file.path = path;
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        file.error = errno;
        // A socket cannot be opened at all (ENXIO): what it is says more than the system's reason.
        if (struct stat st{}; file.error == ENXIO && stat(path.c_str(), &st) == 0) {
            file.error = 0;
            file.mode = st.st_mode;
        }
        return file;
    }
    struct stat st {};
    if (fstat(fd, &st) != 0)
        file.error = errno;
    else
        file.mode = st.st_mode;
    if (S_ISREG(file.mode)) {
        std::string text;
        char buffer[16384];
        ssize_t n;
        while ((n = read(fd, buffer, sizeof buffer)) > 0 && text.size() <= max_config_bytes)
            text.append(buffer, static_cast<std::size_t>(n));
        if (n < 0)
            file.error = errno;
        else if (text.size() <= max_config_bytes)
            file.text = std::move(text);
    }
    close(fd);
    return file;
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

ConfigTexts read_config_texts(const ConfigSources& sources) {
    ConfigTexts texts;
    if (sources.catalog) texts.catalog = read_small_file(*sources.catalog);
    for (auto& path : sources.files)
        texts.files.push_back(read_small_file(path));
    return texts;
}

ConfigParser parse_config(const ConfigTexts& texts) {
    ConfigParser parser;
    auto add = [&](const ConfigTexts::File& file, auto add_text) {
        if (file.text)
            (parser.*add_text)(*file.text, file.path);
        else
            parser.add_unreadable(file.path, why_unreadable(file));
    };
    if (texts.catalog)
        add(*texts.catalog, &ConfigParser::add_catalog);
    else
        parser.add_catalog(builtin_catalog, "(built-in catalog)");
    for (auto& file : texts.files)
        add(file, &ConfigParser::add_config);
    return parser;
}

}  // namespace postured
