#include <sys/stat.h>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <cstdio>
#include <cstdlib>

#include "clock.hpp"
#include "config_files.hpp"
#include "console_notifier.hpp"
#include "control_server.hpp"
#include "libnotify_notifier.hpp"
#include "notifier_thread.hpp"
#include "runtime_dir.hpp"
#include "service.hpp"
#include "state_store.hpp"
#include "systemd_notify.hpp"

namespace {

using namespace postured;

Service::Loaded load(const ConfigSources& sources) {
    auto parser = read_config(sources);
    Service::Loaded loaded{parser.finish(), parser.diagnostics()};
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
    app.set_version_flag("--version", "postured " POSTURED_VERSION);
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

    auto sources = find_config_sources(std::getenv, config_file, POSTURED_DATADIR);
    auto loaded = load(sources);
    if (!loaded.config) {
        spdlog::critical("no usable configuration; fix the errors above and start again");
        return 1;
    }
    if (loaded.config->activity.source != ActivitySource::none)
        spdlog::info("no idle source in this version: all time counts as work");

    boost::asio::io_context io;
    std::optional<Service> service;
    std::optional<ControlServer> control;
    if (auto dir = runtime_dir()) {
        try {
            control.emplace(io, *dir,
                            [&](const protocol::Request& r) { return service->control(r); });
        } catch (const std::exception& e) {
            spdlog::critical("{}", e.what());
            return 1;
        }
    } else {
        spdlog::warn(
            "XDG_RUNTIME_DIR is not set: no control socket, so posturectl cannot reach this "
            "daemon");
    }

    SystemClock clock;
    ConsoleNotifier console(stdout);
    Notifier* notifier = &console;
    std::optional<NotifierThread> desktop;
    GError* error = nullptr;
    if (GDBusConnection* bus = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &error)) {
        desktop.emplace([&] {
            // Answers arrive on the notifier's thread; the scheduler takes them on its own.
            return std::make_unique<LibnotifyNotifier>(bus, console, [&](const Event& e) {
                boost::asio::post(io, [&, e] { service->handle(e); });
            });
        });
        notifier = &*desktop;
        g_object_unref(bus);
    } else {
        spdlog::warn("no session bus ({}): breaks are shown on the console", error->message);
        g_clear_error(&error);
    }
    std::optional<StateStore> store;
    try {
        store.emplace(default_state_path());
    } catch (const std::exception& e) {
        spdlog::error("no state database ({}): nothing will be remembered across restarts",
                      e.what());
    }
    SystemdNotify systemd(io);
    // Every reload, by SIGHUP or over the socket, is framed for systemd: RELOADING=1 ... READY=1.
    auto reload_config = [&] {
        systemd.reloading();
        auto reloaded = load(sources);
        systemd.ready();
        return reloaded;
    };
    service.emplace(io, clock, *notifier, std::move(*loaded.config), reload_config, "none",
                    store ? &*store : nullptr);
    service->on_status = [&](const nlohmann::json& status) {
        if (control) control->publish(status);
        systemd.status(protocol::status_text(status));
    };
    systemd.status(protocol::status_text(service->status_json()));
    systemd.ready();

    boost::asio::signal_set stop_signals(io, SIGINT, SIGTERM);
    stop_signals.async_wait([&](const boost::system::error_code&, int signal) {
        spdlog::info("stopping on {}", signal == SIGINT ? "SIGINT" : "SIGTERM");
        systemd.stopping();
        service->stop();
        io.stop();
    });
    boost::asio::signal_set reload_signal(io, SIGHUP);
    std::function<void()> wait_for_reload = [&] {
        reload_signal.async_wait([&](const boost::system::error_code& ec, int) {
            if (ec) return;
            service->reload();
            wait_for_reload();
        });
    };
    wait_for_reload();

    io.run();
    return 0;
}
