#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <variant>

#include "bus_notifier.hpp"
#include "config_files.hpp"
#include "console_notifier.hpp"
#include "control_commands.hpp"
#include "control_server.hpp"
#include "core/language.hpp"
#include "core/version.hpp"
#include "glib_loop.hpp"
#include "logging.hpp"
#include "reload.hpp"
#include "runtime_dir.hpp"
#include "service.hpp"
#include "session_bus.hpp"
#include "sources/sources.hpp"
#include "state_store.hpp"
#include "systemd_notify.hpp"
#include "translated_help.hpp"

namespace {

using namespace postured;

struct Options {
    std::optional<std::string> config_file;
    std::optional<std::string> check_file;  // with --check-config
    bool check = false;
    std::string log_level = "info";
};

// The command line, or the exit code when it was --help, --version or wrong.
std::variant<Options, int> parse(int argc, char** argv) {
    CLI::App app{
        _("postured: counts your active work time and reminds you to stretch every hour.")};
    translate_help_labels(app);
    Options options;
    app.add_option("-c,--config", options.config_file,
                   _("Read only this config file (default: the XDG places)"));
    app.add_option("--check-config", options.check_file,
                   _("Check a config file (default: the XDG places), print every problem, and "
                     "exit"))
        ->expected(0, 1);
    app.add_option("--log-level", options.log_level, _("trace, debug, info, warn or error"))
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
    app.set_version_flag("--version", std::string("postured ") + version,
                         _("Display program version information and exit"));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    options.check = app.count("--check-config") > 0;
    return options;
}

// A stop asked for while the daemon sets up waits until it can save what it has: the stop
// signals are held back, on every thread started from here, until their handler is in place.
sigset_t hold_stop_signals() {
    sigset_t held;
    sigemptyset(&held);
    for (int signal : {SIGINT, SIGTERM, SIGHUP})
        sigaddset(&held, signal);
    pthread_sigmask(SIG_BLOCK, &held, nullptr);
    return held;
}

std::optional<StateStore> open_store() {
    try {
        return std::optional<StateStore>(std::in_place, default_state_path());
    } catch (const std::exception& e) {
        spdlog::error("no state database ({}): nothing will be remembered across restarts",
                      e.what());
        return {};
    }
}

// How the daemon ends: SIGINT or SIGTERM stop it; the session bus closing under it is a failure,
// for the service manager to start it again (Restart=on-failure) on the bus that replaces it.
class Ending {
  public:
    explicit Ending(boost::asio::io_context& io) : io_(io), signals_(io, SIGINT, SIGTERM) {
        signals_.async_wait([this](const boost::system::error_code&, int signal) {
            spdlog::info("stopping on {}", signal == SIGINT ? "SIGINT" : "SIGTERM");
            io_.stop();
        });
    }
    void session_lost() {
        spdlog::error("the session bus closed; stopping, to be started again on the next one");
        failed_ = true;
        io_.stop();
    }
    int exit_code() const { return failed_ ? 1 : 0; }

  private:
    boost::asio::io_context& io_;
    boost::asio::signal_set signals_;
    bool failed_ = false;
};

// The session bus and the notifications on it; without a bus, neither, and breaks go to the
// console.
struct Desktop {
    std::optional<SessionBus> bus;
    std::optional<BusNotifier> notifier;

    Desktop(boost::asio::io_context& io, Notifier& console, const std::optional<std::string>& dir,
            Ending& ending) {
        try {
            bus.emplace([&ending] { ending.session_lost(); });
            // The break's notification outlives a restart: its id is kept where the session
            // keeps what lasts as long as it does.
            notifier.emplace(io, bus->session(), console, dir ? *dir + "/notification" : "");
        } catch (const std::exception& e) {
            spdlog::warn("no session bus ({}): breaks are shown on the console", e.what());
        }
    }
    Notifier& notifier_or(Notifier& console) {
        return notifier ? static_cast<Notifier&>(*notifier) : console;
    }
};

// A handler that throws fails alone; the daemon goes on with the rest.
void run(boost::asio::io_context& io) {
    for (;;) {
        try {
            io.run();
            return;
        } catch (const std::exception& e) {
            spdlog::error("unexpected error, carrying on: {}", e.what());
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    use_the_users_language(program_datadir());
    auto parsed = parse(argc, argv);
    if (auto* exit_code = std::get_if<int>(&parsed)) return *exit_code;
    auto& options = std::get<Options>(parsed);
    if (options.check) return check_config(options.check_file.value_or(""));
    // From here the daemon's own words go to the journal, in English; a break, a status and an
    // answer to posturectl are in the user's language.
    keep_the_system_messages_in_english();

    umask(077);  // everything postured writes is the user's alone
    start_logging(options.log_level);
    auto files = find_config_sources(std::getenv, options.config_file, program_datadir());
    auto config = load_config(files);
    if (!config) {
        spdlog::critical("no usable configuration; fix the errors above and start again");
        return 1;
    }
    auto held = hold_stop_signals();

    // What is thrown here is for the user: another daemon holds the lock, or the socket cannot
    // be made.
    try {
        boost::asio::io_context io;
        auto dir = runtime_dir();
        std::optional<ControlServer> control;  // its lock first: no second daemon goes further
        if (dir)
            control.emplace(io, *dir);
        else
            spdlog::warn(
                "XDG_RUNTIME_DIR is not set: no control socket, so posturectl cannot reach "
                "this daemon");

        Ending ending(io);
        GlibLoop glib(io);
        ConsoleNotifier console(stdout, is_journal(STDOUT_FILENO));
        Desktop desktop(io, console, dir, ending);
        auto store = open_store();
        Service service(io, desktop.notifier_or(console), std::move(*config),
                        store ? &*store : nullptr);
        if (desktop.notifier) desktop.notifier->answer_to(service);
        Sources sources(io, desktop.bus ? &*desktop.bus : nullptr, service);
        sources.use(service.config());
        service.connect(sources, sources);
        SystemdNotify systemd(io);
        Reloader reloader(io, files, service, sources, systemd);
        ControlCommands commands(service, store ? &*store : nullptr,
                                 [&] { return reloader.reload(true); });
        service.follow(systemd);
        systemd.status_changed(service.status());
        if (control) {
            service.follow(*control);
            control->listen([&](const protocol::Request& r) { return commands.handle(r); });
        }
        systemd.ready();

        pthread_sigmask(SIG_UNBLOCK, &held, nullptr);
        run(io);
        systemd.stopping();
        service.stop();
        return ending.exit_code();
    } catch (const std::exception& e) {
        spdlog::critical("{}", e.what());
        return 1;
    }
}
