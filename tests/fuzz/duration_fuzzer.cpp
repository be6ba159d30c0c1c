// The duration parser: anything it accepts is written back to a text it reads the same.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/duration.hpp"
#include "core/protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text{reinterpret_cast<const char*>(data), size};
    auto parsed = postured::parse_duration(text);
    if (!parsed) return 0;
    if (*parsed < std::chrono::seconds{0} || *parsed > postured::longest_duration) std::abort();
    auto again = postured::parse_duration(postured::format_duration(*parsed));
    if (parsed->count() > 0 && again != parsed) std::abort();
    postured::protocol::human_duration(*parsed);
    return 0;
}
