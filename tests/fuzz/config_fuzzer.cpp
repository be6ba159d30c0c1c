// The config parser and validator, on a user's config file over the built-in catalog.
#include <cstdint>
#include <string_view>

#include "core/config_parser.hpp"
#include "core/stretch.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    postured::ConfigParser parser;
    parser.add_catalog(postured::builtin_catalog, "(built-in catalog)");
    parser.add_config({reinterpret_cast<const char*>(data), size}, "config.toml");
    parser.finish();
    for (auto& d : parser.diagnostics())
        d.to_string();
    return 0;
}
