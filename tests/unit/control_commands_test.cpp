#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <cstdio>

#include "console_notifier.hpp"
#include "control_commands.hpp"
#include "sim.hpp"

using namespace postured;

namespace {

Diagnostic problem(Diagnostic::Severity severity, std::string text) {
    return {severity, {"config.toml", 2, 12}, "schedule.interval", std::move(text)};
}

// The reply to a reload that did what `reloaded` says.
nlohmann::json reload_reply(Reloaded reloaded) {
    boost::asio::io_context io;
    std::FILE* nowhere = std::fopen("/dev/null", "w");
    ConsoleNotifier console(nowhere, false);
    Service service(io, console, test::make_config(), nullptr);
    ControlCommands commands(service, nullptr, [&] { return reloaded; });
    auto reply = commands.handle({.verb = protocol::Verb::reload});
    std::fclose(nowhere);
    return reply;
}

}  // namespace

TEST_CASE("a reload's answer is whether its reading was put in force", "[control][reload]") {
    auto refused =
        reload_reply({.applied = false,
                      .diagnostics = {problem(Diagnostic::Severity::error, "not a duration")}});
    CHECK_FALSE(refused["ok"].get<bool>());
    CHECK(refused["error"]["code"] == "config_invalid");
    CHECK(refused["error"]["message"].get<std::string>().ends_with(
        "\nconfig.toml:2:12: schedule.interval: not a duration"));

    auto applied = reload_reply(
        {.applied = true, .diagnostics = {problem(Diagnostic::Severity::warning, "unknown key")}});
    CHECK(applied["ok"].get<bool>());
    CHECK(applied["warnings"] ==
          std::vector<std::string>{"config.toml:2:12: warning: schedule.interval: unknown key"});
    CHECK(applied.contains("status"));

    // The answer follows what was done, not a count of the problems listed with it.
    CHECK_FALSE(reload_reply({.applied = false, .diagnostics = {}})["ok"].get<bool>());
    CHECK(reload_reply(
              {.applied = true,
               .diagnostics = {problem(Diagnostic::Severity::error, "not a duration")}})["ok"]
              .get<bool>());
}
