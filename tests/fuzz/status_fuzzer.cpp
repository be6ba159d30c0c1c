// A status as posturectl reads it from the daemon, and the text and waybar line made of it.
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "core/protocol.hpp"

using nlohmann::json;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    std::chrono::seconds elapsed{data[0]};  // a countdown kept between updates
    auto j = json::parse(data + 1, data + size, nullptr, false);
    if (j.is_discarded()) return 0;
    auto status = postured::protocol::status_from_json(j);
    if (!status) return 0;
    postured::protocol::status_text(*status, elapsed);
    postured::protocol::presence_text(*status);
    postured::protocol::waybar_json(*status, elapsed)
        .dump(-1, ' ', false, json::error_handler_t::replace);
    return 0;
}
