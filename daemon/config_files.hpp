#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/config_parser.hpp"
#include "program_datadir.hpp"

namespace postured {

using Getenv = std::function<const char*(const char*)>;

// Where the configuration comes from: the catalog, then the config files in the order they apply.
struct ConfigSources {
    std::optional<std::string> catalog;  // none: the catalog built into the binary
    std::vector<std::string> files;
    std::vector<std::string> data_dirs;  // where the catalog is looked for
    // Where the pictures are: the program's own first, as they belong to its build of the catalog.
    std::vector<std::string> picture_dirs;
};

// The XDG places: each $XDG_CONFIG_DIRS (default /etc/xdg) from the least important, then
// $XDG_CONFIG_HOME (default ~/.config); only files that exist. An explicit file replaces them all.
// The data directories are $XDG_DATA_HOME, $XDG_DATA_DIRS, then `program_datadir`; the catalog
// is the first postured/stretches.toml in them.
ConfigSources find_config_sources(const Getenv& getenv, std::optional<std::string> explicit_file,
                                  const std::string& program_datadir);

// What the sources held when they were read: each file's text, or why it could not be read.
struct ConfigTexts {
    struct File {
        std::string path;
        std::optional<std::string> text;
        int error = 0;      // errno, when opening or reading it failed
        unsigned mode = 0;  // its st_mode; a regular file with no text and no error is too large
    };
    std::optional<File> catalog;  // none: the catalog built into the binary
    std::vector<File> files;
};

// Reads every source once; anything that is not a regular file or is larger than
// max_config_bytes is unreadable.
ConfigTexts read_config_texts(const ConfigSources& sources);

// The texts in a parser, unreadable files as diagnostics: parsed again, the same texts give the
// same configuration and problems, whatever has been saved to the files since.
ConfigParser parse_config(const ConfigTexts& texts);

inline ConfigParser read_config(const ConfigSources& sources) {
    return parse_config(read_config_texts(sources));
}

inline constexpr std::size_t max_config_bytes = 1024 * 1024;

}  // namespace postured
