#include <sys/stat.h>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "clock.hpp"
#include "config_files.hpp"
#include "console_notifier.hpp"
#include "control_commands.hpp"
#include "control_server.hpp"
#include "core/version.hpp"
#include "desktop_bus.hpp"
#include "runtime_dir.hpp"
#include "service.hpp"
#include "sources/sources.hpp"
#include "state_store.hpp"
#include "systemd_notify.hpp"

namespace {

using namespace postured;

struct Loaded {
    std::optional<Config> config;
    Diagnostics diagnostics;
};

Loaded load(const ConfigSources& sources) {
    auto parser = read_config(sources);
    Loaded loaded{parser.finish(), parser.diagnostics()};
    for (auto& d : loaded.diagnostics) {
        if (d.severity == Diagnostic::Severity::error)
            spdlog::error("{}", d.to_string());
        else
            spdlog::warn("{}", d.to_string());
    }
    return loaded;
}

// With no file, checks what the daemon would read from the XDG places.
int check_config(const std::string& file) {
    std::optional<std::string> only;
    if (!file.empty()) only = file;
    auto sources = find_config_sources(std::getenv, only, POSTURED_DATADIR);
    auto parser = read_config(sources);
    auto config = parser.finish();
    for (auto& d : parser.diagnostics())
        std::fprintf(stderr, "%s\n", d.to_string().c_str());
    if (!config) return 1;
    std::string checked;
    for (auto& f : sources.files)
        checked += (checked.empty() ? "" : ", ") + f;
    if (checked.empty()) checked = "the built-in defaults";
    std::printf("%s: ok (%zu stretches on offer)\n", checked.c_str(), config->offered.size());
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
                   "Check a config file (default: the XDG places), print every problem, and exit")
        ->expected(0, 1);
    app.add_option("--log-level", log_level, "trace, debug, info, warn or error")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
    app.set_version_flag("--version", std::string("postured ") + version);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }

    if (app.count("--check-config")) return check_config(check_file.value_or(""));

    umask(077);  // everything postured writes is the user's alone
    if (stderr_is_journal()) {
        spdlog::set_default_logger(std::make_shared<spdlog::logger>(
            "postured", std::make_shared<spdlog::sinks::systemd_sink_mt>("postured")));
    } else {
        spdlog::set_default_logger(spdlog::stderr_color_mt("postured"));
        spdlog::set_pattern("%^postured%$: %v");
    }
    spdlog::set_level(spdlog::level::from_str(log_level));

    auto files = find_config_sources(std::getenv, config_file, POSTURED_DATADIR);
    auto loaded = load(files);
    if (!loaded.config) {
        spdlog::critical("no usable configuration; fix the errors above and start again");
        return 1;
    }

    // A stop asked for while the daemon sets up waits until it can save what it has: the stop
    // signals are held back, on every thread started from here, until their handler is in place.
    sigset_t stop_signals_mask;
    sigemptyset(&stop_signals_mask);
    for (int signal : {SIGINT, SIGTERM, SIGHUP})
        sigaddset(&stop_signals_mask, signal);
    pthread_sigmask(SIG_BLOCK, &stop_signals_mask, nullptr);

    boost::asio::io_context io;
    // The socket's lock first: it keeps a second daemon from going further.
    std::optional<ControlCommands> commands;
    std::optional<ControlServer> control;
    auto dir = runtime_dir();
    if (dir) {
        try {
            control.emplace(io, *dir,
                            [&](const protocol::Request& r) { return commands->handle(r); });
        } catch (const std::exception& e) {
            spdlog::critical("{}", e.what());
            return 1;
        }
    } else {
        spdlog::warn(
            "XDG_RUNTIME_DIR is not set: no control socket, so posturectl cannot reach this "
            "daemon");
    }

    ConsoleNotifier console(stdout);
    std::optional<DesktopBus> bus;
    try {
        // The break's notification outlives a restart: its id is kept where the session keeps
        // what lasts as long as it does.
        bus.emplace(io, console, dir ? *dir + "/notification" : std::string());
    } catch (const std::exception& e) {
        spdlog::warn("no session bus ({}): breaks are shown on the console", e.what());
    }
    std::optional<StateStore> store;
    try {
        store.emplace(default_state_path());
    } catch (const std::exception& e) {
        spdlog::error("no state database ({}): nothing will be remembered across restarts",
                      e.what());
    }
    Service service(io, bus ? static_cast<Notifier&>(*bus) : console, std::move(*loaded.config),
                    store ? &*store : nullptr);
    if (bus) bus->deliver_to(service);
    Sources sources(io, bus ? &*bus : nullptr, service);
    sources.use(service.config().activity);
    service.watch_for_pause = [&](bool on) { return sources.watch_for_pause(on); };
    service.ask_quiet = [&](bool on) { return sources.ask_quiet(on); };

    SystemdNotify systemd(io);
    // Every reload, by SIGHUP or over the socket, is framed for systemd: RELOADING=1 ... READY=1.
    auto reload = [&] {
        systemd.reloading();
        auto reloaded = load(files);
        if (reloaded.config) {
            service.reconfigure(std::move(*reloaded.config));
            sources.use(service.config().activity);
            spdlog::info("configuration reloaded");
        } else {
            spdlog::error("reload failed; keeping the configuration in force");
        }
        systemd.ready();
        return reloaded.diagnostics;
    };
    commands.emplace(service, store ? &*store : nullptr, reload);
    service.on_status = [&](const Status& status) {
        if (control) control->publish(protocol::to_json(status));
        systemd.status(protocol::status_text(status));
    };
    systemd.status(protocol::status_text(service.status()));
    if (control) {
        try {
            control->listen();
        } catch (const std::exception& e) {
            spdlog::critical("{}", e.what());
            return 1;
        }
    }
    systemd.ready();

    int exit_code = 0;
    auto stop = [&] {
        systemd.stopping();
        service.stop();
        io.stop();
    };
    boost::asio::signal_set stop_signals(io, SIGINT, SIGTERM);
    stop_signals.async_wait([&](const boost::system::error_code&, int signal) {
        spdlog::info("stopping on {}", signal == SIGINT ? "SIGINT" : "SIGTERM");
        stop();
    });
    // Everything on the bus went with it. A failure, not a stop: the service manager starts the
    // daemon again (Restart=on-failure), on the bus that replaces it.
    if (bus)
        bus->on_session_lost = [&] {
            spdlog::error("the session bus closed; stopping, to be started again on the next one");
            exit_code = 1;
            stop();
        };
    boost::asio::signal_set reload_signal(io, SIGHUP);
    std::function<void()> wait_for_reload = [&] {
        reload_signal.async_wait([&](const boost::system::error_code& ec, int) {
            if (ec) return;
            reload();
            wait_for_reload();
        });
    };
    wait_for_reload();
    pthread_sigmask(SIG_UNBLOCK, &stop_signals_mask, nullptr);

    // A handler that throws fails alone; the daemon goes on with the rest.
    for (;;) {
        try {
            io.run();
            return exit_code;
        } catch (const std::exception& e) {
            spdlog::error("unexpected error, carrying on: {}", e.what());
        }
    }
}
