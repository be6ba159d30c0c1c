#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <cstdio>
#include <cstdlib>

#include "clock.hpp"
#include "config_files.hpp"
#include "console_notifier.hpp"
#include "service.hpp"

namespace {

using namespace postured;

std::optional<Config> load(const ConfigSources& sources) {
    auto parser = read_config(sources);
    auto config = parser.finish();
    for (auto& d : parser.diagnostics()) {
        if (d.severity == Diagnostic::Severity::error)
            spdlog::error("{}", d.to_string());
        else
            spdlog::warn("{}", d.to_string());
    }
    return config;
}

int check_config(const std::string& file) {
    auto parser = read_config(find_config_sources(std::getenv, file, POSTURED_DATADIR));
    auto config = parser.finish();
    for (auto& d : parser.diagnostics())
        std::fprintf(stderr, "%s\n", d.to_string().c_str());
    if (!config) return 1;
    std::printf("%s: ok (%zu stretches on offer)\n", file.c_str(), config->offered.size());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"postured: counts your active work time and reminds you to stretch every hour."};
    std::optional<std::string> config_file;
    std::optional<std::string> check_file;
    std::string log_level = "info";
    app.add_option("-c,--config", config_file,
                   "Read only this config file (default: the XDG places)");
    app.add_option("--check-config", check_file,
                   "Check a config file, print every problem, and exit");
    app.add_option("--log-level", log_level, "trace, debug, info, warn or error")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
    app.set_version_flag("--version", "postured " POSTURED_VERSION);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }

    if (check_file) return check_config(*check_file);

    spdlog::set_default_logger(spdlog::stderr_color_st("postured"));
    spdlog::set_pattern("%^postured%$: %v");
    spdlog::set_level(spdlog::level::from_str(log_level));

    auto sources = find_config_sources(std::getenv, config_file, POSTURED_DATADIR);
    auto config = load(sources);
    if (!config) {
        spdlog::critical("no usable configuration; fix the errors above and start again");
        return 1;
    }
    if (config->activity.source != ActivitySource::none)
        spdlog::info("no idle source in this version: all time counts as work");

    boost::asio::io_context io;
    SystemClock clock;
    ConsoleNotifier notifier(stdout);
    Service service(io, clock, notifier, std::move(*config), [&] { return load(sources); });

    boost::asio::signal_set stop_signals(io, SIGINT, SIGTERM);
    stop_signals.async_wait([&](const boost::system::error_code&, int signal) {
        spdlog::info("stopping on {}", signal == SIGINT ? "SIGINT" : "SIGTERM");
        io.stop();
    });
    boost::asio::signal_set reload_signal(io, SIGHUP);
    std::function<void()> wait_for_reload = [&] {
        reload_signal.async_wait([&](const boost::system::error_code& ec, int) {
            if (ec) return;
            service.reload();
            wait_for_reload();
        });
    };
    wait_for_reload();

    io.run();
    return 0;
}
