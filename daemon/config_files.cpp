#include "config_files.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
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

}  // namespace

ConfigSources find_config_sources(const Getenv& getenv, std::optional<std::string> explicit_file,
                                  const std::string& installed_datadir) {
    ConfigSources sources;
    std::vector<std::string> data_dirs{home_dir(getenv, "XDG_DATA_HOME", "/.local/share")};
    for (auto& dir : split_paths(getenv("XDG_DATA_DIRS"), "/usr/local/share:/usr/share"))
        data_dirs.push_back(dir);
    data_dirs.push_back(installed_datadir);
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
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            parser.add_unreadable(path, std::strerror(errno));
            return;
        }
        std::stringstream text;
        text << in.rdbuf();
        (parser.*add)(text.str(), path);
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
