#pragma once

#include <iostream>

#include "core/config_parser.hpp"

namespace postured {

// The catalog compiled in, as the build's tools read it; its problems on stderr.
inline std::optional<Config> shipped_catalog() {
    ConfigParser parser;
    parser.add_catalog(builtin_catalog, "config/stretches.toml");
    auto config = parser.finish();
    for (auto& d : parser.diagnostics())
        std::cerr << d.to_string() << "\n";
    return config;
}

}  // namespace postured
