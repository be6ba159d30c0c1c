// The catalog loader, on a catalog of one's own.
#include <cstdint>
#include <string_view>

#include "core/config_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    postured::ConfigParser parser;
    parser.add_catalog({reinterpret_cast<const char*>(data), size}, "stretches.toml");
    parser.finish();
    for (auto& d : parser.diagnostics())
        d.to_string();
    return 0;
}
