// The control socket's request handler: each line a request, parsed and done against a real
// Service (with no store and breaks on a console going nowhere), the reply written as the
// server writes it.
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string_view>

#include "console_notifier.hpp"
#include "control_commands.hpp"
#include "core/config_parser.hpp"
#include "core/stretch.hpp"
#include "service.hpp"

using namespace postured;

namespace {

Config default_config() {
    ConfigParser parser;
    parser.add_catalog(builtin_catalog, "(built-in catalog)");
    return *parser.finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static std::FILE* nowhere = [] {
        spdlog::set_level(spdlog::level::off);
        return std::fopen("/dev/null", "w");
    }();
    boost::asio::io_context io;
    ConsoleNotifier console(nowhere, false);
    Service service(io, console, default_config(), nullptr);
    ControlCommands commands(service, nullptr, [] { return Reloaded{.applied = true}; });
    std::string_view input{reinterpret_cast<const char*>(data), size};
    while (!input.empty()) {
        auto end = input.find('\n');
        auto line = input.substr(0, end);
        input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
        auto parsed = protocol::parse_request(line);
        nlohmann::json reply;
        if (auto* request = std::get_if<protocol::Request>(&parsed))
            reply = commands.handle(*request);
        else
            reply = protocol::error_reply(std::get<protocol::Error>(parsed));
        reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        io.poll();
    }
    return 0;
}
