// posturectl: talks to postured over its control socket. Exit codes: 0 done, 1 refused by the
// daemon (or an answer it cannot read), 2 a usage error, 3 the daemon cannot be reached. With
// --json every answer is one object of the shape docs/json.md describes.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>

#include "completions.hpp"
#include "control_client.hpp"
#include "core/duration.hpp"
#include "core/language.hpp"
#include "core/protocol.hpp"
#include "core/safety.hpp"
#include "core/spelling.hpp"
#include "core/version.hpp"
#include "program_datadir.hpp"
#include "runtime_dir.hpp"
#include "translated_help.hpp"

extern char** environ;

namespace {

using namespace postured;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int exit_refused = 1;
constexpr int exit_usage = 2;
constexpr int exit_unreachable = 3;

bool json_output = false;

void print_json(const json& reply) {
    std::cout << reply.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
}

// With --json the failure is an answer too, as the daemon's refusals are.
int fail(int code, const std::string& message) {
    std::fprintf(stderr, "posturectl: %s\n", message.c_str());
    if (json_output) {
        const char* name = code == exit_unreachable ? "unreachable" : "refused";
        print_json(protocol::error_reply({name, message}));
    }
    return code;
}

int refused(const json& reply) {
    auto message = reply.at("error").get<protocol::Error>().message;
    if (json_output) {
        print_json(reply);
        std::fprintf(stderr, "posturectl: %s\n", message.c_str());
        return exit_refused;
    }
    return fail(exit_refused, message);
}

struct Connection {
    std::optional<ControlClient> client;
    int exit_code = 0;
};

// A connection, or why there is none: nullopt and a message.
std::optional<ControlClient> try_connect(std::string& why, bool& not_running) {
    auto dir = runtime_dir();
    not_running = false;
    if (!dir) {
        why = _("XDG_RUNTIME_DIR is not set, so postured cannot be found");
        return std::nullopt;
    }
    auto path = socket_path(*dir);
    std::string error;
    int code = 0;
    auto client = ControlClient::connect(path, error, code);
    if (client) return client;
    not_running = code == ENOENT || code == ECONNREFUSED;
    why = not_running
              ? formatted(_("postured is not running (nothing listens on %s); start it "
                            "with: systemctl --user start postured"),
                          path.c_str())
              : formatted(_("cannot reach postured at %s: %s"), path.c_str(), error.c_str());
    return std::nullopt;
}

Connection connect_to_daemon() {
    std::string why;
    bool not_running = false;
    auto client = try_connect(why, not_running);
    if (client) return {std::move(client), 0};
    return {std::nullopt, fail(exit_unreachable, why)};
}

// Sends one request and prints the reply: as it is with --json, through `print` otherwise.
int call(const protocol::Request& request, bool as_json,
         const std::function<void(const json&)>& print) {
    auto connection = connect_to_daemon();
    if (!connection.client) return connection.exit_code;
    auto& client = *connection.client;
    // A failed send is not the end: the daemon may have refused us and closed, with its reason
    // already waiting to be read.
    client.send(protocol::request_json(request));
    auto reply = client.receive(std::chrono::seconds{10});
    if (!reply) return fail(exit_unreachable, _("no answer from postured"));
    if (!reply->value("ok", false)) return refused(*reply);
    if (as_json)
        print_json(*reply);
    else
        print(*reply);
    return 0;
}

std::optional<Status> status_of(const json& reply) {
    auto it = reply.find("status");
    return it == reply.end() ? std::nullopt : protocol::status_from_json(*it);
}

void print_status_line(const json& reply, const std::string& prefix = "") {
    if (auto status = status_of(reply))
        std::cout << prefix << protocol::status_text(*status) << "\n";
}

void print_status(const json& reply) {
    auto status = status_of(reply);
    if (!status) {
        std::cout << formatted(_("postured sent a status this posturectl does not understand: %s"),
                               reply.dump().c_str())
                  << "\n";
        return;
    }
    std::cout << protocol::status_text(*status) << "\n" << protocol::presence_text(*status) << "\n";
}

// Prints the status at every change: a line of text, or a waybar object with --json. It outlives
// the daemon: while there is none it says so, and it follows the next one. It ends when its
// output is gone (a bar that quit), and only then.
int run_follow(bool as_json) {
    // A bar that quit between two lines: the write fails and the feed ends, not a SIGPIPE death.
    std::signal(SIGPIPE, SIG_IGN);
    std::string shown;
    auto print = [&](const std::string& line) {
        if (line == shown) return;
        std::cout << line << std::endl;
        shown = line;
    };
    auto output_open = [] { return bool(std::cout); };
    constexpr std::chrono::seconds look_again{2};
    for (;;) {
        std::string why;
        bool not_running = false;
        auto client = try_connect(why, not_running);
        if (!client) {
            if (!not_running) return fail(exit_unreachable, why);
            print(as_json ? json{{"text", _("not running")},
                                 {"tooltip", _("postured is not running")},
                                 {"class", "not-running"},
                                 {"percentage", 0}}
                                .dump()
                          : std::string(_("postured is not running")));
            if (!output_open() || !wait_while_read(STDOUT_FILENO, look_again)) return 0;
            continue;
        }
        client->send(protocol::request_json({.verb = protocol::Verb::status, .follow = true}));
        std::optional<Status> status;
        auto received = Clock::now();
        for (;;) {
            auto elapsed =
                std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - received);
            if (status)
                print(as_json ? protocol::waybar_json(*status, elapsed).dump()
                              : protocol::status_text(*status, elapsed));
            if (!output_open()) return 0;
            // The countdown changes every minute, or every second in the last minute.
            std::optional<std::chrono::milliseconds> wait;
            if (status && status->next_break_in) {
                auto left = *status->next_break_in - elapsed;
                wait = left <= std::chrono::seconds{60}
                           ? std::chrono::seconds{1}
                           : (left - std::chrono::seconds{1}) % 60 + std::chrono::seconds{1};
            }
            auto message = client->receive(wait, STDOUT_FILENO);
            if (client->output_gone()) return 0;
            if (message) {
                if (!message->value("ok", false)) return refused(*message);
                status = status_of(*message);
                received = Clock::now();
            } else if (client->at_end()) {
                break;  // the daemon stopped: wait for the next one
            }
        }
    }
}

const char* position_word(Position position) {
    switch (position) {
        case Position::seated:
            return _("seated");
        case Position::standing:
            return _("standing");
        case Position::floor:
            return _("floor");
    }
    return "";
}

// The text and spaces to fill `columns` of a terminal, however wide its letters are.
std::string padded(const std::string& text, int width) {
    return text + std::string(static_cast<std::size_t>(std::max(width - columns(text), 0)), ' ');
}

// Hands the picture to the desktop's viewer, as a file manager's double click would.
int open_picture(const std::string& picture) {
    std::array<const char*, 3> argv{"xdg-open", picture.c_str(), nullptr};
    pid_t pid;
    int spawned =
        posix_spawnp(&pid, argv[0], nullptr, nullptr, const_cast<char**>(argv.data()), environ);
    if (spawned != 0)
        return fail(exit_unreachable, formatted(_("cannot run xdg-open (from xdg-utils): %s"),
                                                std::strerror(spawned)));
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return fail(exit_refused, formatted(_("xdg-open could not open %s"), picture.c_str()));
    return 0;
}

int run_stretches(bool as_json, const std::string& action, const std::string& id, bool open_it) {
    if (action != "list" && action != "show")
        return fail(exit_usage, _("stretches takes list or show ID"));
    if (action == "show" && id.empty())
        return fail(exit_usage, _("stretches show needs a stretch id"));
    if (open_it && action != "show")
        return fail(exit_usage, _("--open goes with stretches show ID"));
    auto connection = connect_to_daemon();
    if (!connection.client) return connection.exit_code;
    auto& client = *connection.client;
    client.send(protocol::request_json({.verb = protocol::Verb::stretches}));
    auto reply = client.receive(std::chrono::seconds{10});
    if (!reply) return fail(exit_unreachable, _("no answer from postured"));
    if (!reply->value("ok", false)) return refused(*reply);
    auto list = reply->at("stretches").get<std::vector<protocol::StretchListing>>();
    if (action == "list") {
        if (as_json) {
            print_json(*reply);
            return 0;
        }
        for (auto& s : list)
            std::cout << (s.favorite  ? "*"
                          : s.offered ? " "
                                      : "-")
                      << " " << padded(s.id, 20) << " " << padded(s.name, 28) << " "
                      << padded(position_word(s.position), 9) << " "
                      << listed_in_users_language(s.muscles) << "\n";
        std::cout << _("(* favourite, - not offered)") << "\n";
        return 0;
    }
    for (auto& s : list) {
        if (s.id != id) continue;
        if (open_it) {
            if (s.picture.empty())
                return fail(exit_refused, formatted(_("%s has no picture"), s.id.c_str()));
            return open_picture(s.picture);
        }
        if (as_json) {
            print_json(protocol::ok_reply({{"stretch", s}}));
            return 0;
        }
        // TRANSLATORS: a stretch's name, where it is done and whether it is on offer:
        // "Chin tuck (seated, offered)".
        std::printf("%s\n", formatted(_("%s (%s, %s)"), s.name.c_str(), position_word(s.position),
                                      s.offered ? _("offered") : _("not offered"))
                                .c_str());
        std::printf("  %s\n  %s\n", s.dose.c_str(), _(safety_line));
        int step = 0;
        for (auto& text : s.steps)
            std::printf("  %d. %s\n", ++step, text.c_str());
        std::printf("  %s\n  %s\n",
                    formatted(_("About %s. Works: %s."), duration_text(s.duration).c_str(),
                              listed_in_users_language(s.muscles).c_str())
                        .c_str(),
                    formatted(_("From: %s"), s.source.c_str()).c_str());
        if (!s.picture.empty())
            std::printf("  %s\n", formatted(_("Picture: %s"), s.picture.c_str()).c_str());
        return 0;
    }
    std::vector<std::string> ids;
    for (auto& s : list)
        ids.push_back(s.id);
    if (auto near = nearest_key(id, {ids.begin(), ids.end()}))
        return fail(exit_refused, formatted(_("no stretch has the id \"%s\"; did you mean \"%s\"?"),
                                            id.c_str(), std::string(*near).c_str()));
    return fail(exit_refused, formatted(_("no stretch has the id \"%s\""), id.c_str()));
}

// One line a day: a bar of the breaks done (on a terminal), the share, and the counts.
int run_stats(bool as_json, int days) {
    auto connection = connect_to_daemon();
    if (!connection.client) return connection.exit_code;
    auto& client = *connection.client;
    client.send(protocol::request_json({.verb = protocol::Verb::stats, .days = days}));
    auto reply = client.receive(std::chrono::seconds{10});
    if (!reply) return fail(exit_unreachable, _("no answer from postured"));
    if (!reply->value("ok", false)) return refused(*reply);
    if (as_json) {
        print_json(*reply);
        return 0;
    }
    auto stats = reply->at("stats").get<Stats>();
    bool chart = isatty(STDOUT_FILENO);
    constexpr int width = 10;
    auto n = [](int count) { return static_cast<unsigned long>(count); };
    // TRANSLATORS: between the parts of a line: "3 done · 1 skipped".
    const std::string dot = _(" · ");
    // TRANSLATORS: a day in posturectl stats, as strftime writes it: "Mon  7 Dec".
    // xgettext:no-c-format
    const char* day_pattern = _("%a %e %b");
    std::vector<std::string> day_names;
    int name_width = 0;
    for (auto& d : stats.days) {
        day_names.push_back(calendar_text(day_pattern, d.day));
        name_width = std::max(name_width, columns(day_names.back()));
    }
    for (std::size_t row = 0; row < stats.days.size(); ++row) {
        auto& d = stats.days[row];
        std::string line = padded(day_names[row], name_width) + "  ";
        auto percent = d.adherence();
        if (!percent) {
            if (chart) line += std::string(width, ' ') + "  ";
            line += _("no breaks");
            if (d.natural)
                line += dot + formatted(tr_n("%d natural", "%d natural", n(d.natural)), d.natural);
            std::cout << line << "\n";
            continue;
        }
        if (chart) {
            int full = (*percent * width + 50) / 100;
            for (int i = 0; i < width; ++i)
                line += i < full ? "█" : "░";
            line += "  ";
        }
        // TRANSLATORS: the share of a day's breaks done, in four columns: " 80%".
        line += formatted(_("%3d%%"), *percent) + "  ";
        // TRANSLATORS: the counts of a day: "3 done · 1 skipped · 0 missed · 2 natural".
        line += formatted(tr_n("%d done", "%d done", n(d.done)), d.done) + dot +
                formatted(tr_n("%d skipped", "%d skipped", n(d.skipped)), d.skipped) + dot +
                formatted(tr_n("%d missed", "%d missed", n(d.missed)), d.missed) + dot +
                formatted(tr_n("%d natural", "%d natural", n(d.natural)), d.natural);
        std::cout << line << "\n";
    }
    // TRANSLATORS: a share of the breaks done: "80%".
    auto adherence = stats.adherence ? formatted(_("%d%%"), *stats.adherence) : std::string("-");
    // TRANSLATORS: "Adherence 80% · streak 3 days (a day counts when 80% of its breaks are done)".
    std::cout << formatted(tr_n("Adherence %s · streak %d day (a day counts when %d%% of its "
                                "breaks are done)",
                                "Adherence %s · streak %d days (a day counts when %d%% of its "
                                "breaks are done)",
                                static_cast<unsigned long>(stats.streak)),
                           adherence.c_str(), stats.streak, Stats::goal_percent)
              << "\n";
    if (!stats.most_done.empty()) {
        std::vector<std::string> most;
        for (auto& m : stats.most_done)
            // TRANSLATORS: a stretch and how often it was done: "Chin tuck (12)".
            most.push_back(formatted(_("%s (%d)"), m.name.c_str(), m.done));
        std::cout << formatted(_("Most done: %s"), listed(most).c_str()) << "\n";
    }
    return 0;
}

// The daemon's own validator, run offline: postured --check-config, from beside this program.
int run_config_check(bool as_json, const std::string& file) {
    char self[4096];
    auto n = readlink("/proc/self/exe", self, sizeof self - 1);
    std::string postured = "postured";
    if (n > 0) {
        std::string beside = std::string(self, static_cast<std::size_t>(n));
        beside = beside.substr(0, beside.rfind('/') + 1) + "postured";
        if (access(beside.c_str(), X_OK) == 0) postured = beside;
    }
    std::vector<std::string> args{postured, "--check-config"};
    if (!file.empty()) args.push_back(file);
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    int out[2];
    if (pipe(out) != 0) return fail(exit_unreachable, _("cannot run postured"));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, out[1], 2);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    pid_t pid;
    int spawned = posix_spawnp(&pid, postured.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (spawned != 0) {
        close(out[0]);
        return fail(exit_unreachable,
                    formatted(_("cannot run %s: %s"), postured.c_str(), std::strerror(spawned)));
    }
    std::string output;
    char chunk[4096];
    for (ssize_t got; (got = read(out[0], chunk, sizeof chunk)) > 0;)
        output.append(chunk, static_cast<std::size_t>(got));
    close(out[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (as_json) {
        json lines = json::array();
        for (std::size_t start = 0, end; start < output.size(); start = end + 1) {
            end = output.find('\n', start);
            if (end == std::string::npos) end = output.size();
            lines.push_back(output.substr(start, end - start));
        }
        print_json({{"v", protocol::version}, {"ok", ok}, {"messages", lines}});
    } else {
        std::cout << output;
    }
    return ok ? 0 : exit_refused;
}

// For a status bar's click: resume when paused, else pause until resumed.
int run_pause_toggle(bool as_json) {
    auto connection = connect_to_daemon();
    if (!connection.client) return connection.exit_code;
    connection.client->send(protocol::request_json({.verb = protocol::Verb::status}));
    auto reply = connection.client->receive(std::chrono::seconds{10});
    if (!reply) return fail(exit_unreachable, _("no answer from postured"));
    if (!reply->value("ok", false)) return refused(*reply);
    bool paused = reply->at("status").get<Status>().state == State::paused;
    return call({.verb = paused ? protocol::Verb::resume : protocol::Verb::pause}, as_json,
                [paused](const json& r) { print_status_line(r, paused ? _("Resumed. ") : ""); });
}

CLI::Validator duration_validator() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            auto d = parse_duration(text);
            return d && d->count() > 0
                       ? ""
                       : formatted(_("\"%s\" is not a duration; write e.g. 45s, 15m or 1h30m"),
                                   text.c_str());
        },
        "DURATION");
}

CLI::Validator time_validator() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            return protocol::parse_time_of_day(text)
                       ? ""
                       : formatted(_("\"%s\" is not a time; write HH:MM, e.g. 13:30"),
                                   text.c_str());
        },
        "HH:MM");
}

// Each command, and each of their own, under a heading in the user's language.
void translate_command_groups(CLI::App& app) {
    for (auto* command : app.get_subcommands({})) {
        command->group(_("Subcommands"));
        // CLI11 makes a command's help flag before it copies the app's group for options.
        if (auto* help = command->get_help_ptr()) help->group(_("Options"));
        translate_command_groups(*command);
    }
}

int run(int argc, char** argv) {
    using protocol::Request;
    using protocol::Verb;
    CLI::App app{_("posturectl: control postured, the posture-break reminder."), "posturectl"};
    translate_help_labels(app);
    app.require_subcommand(1);
    app.fallthrough();
    app.set_version_flag("--version", std::string("posturectl ") + version,
                         _("Display program version information and exit"));
    bool& as_json = json_output;
    const char* json_help = _("Print the answer as one JSON object (docs/json.md)");
    app.add_flag("--json", as_json, json_help);

    // A command for each verb of the protocol, with its options.
    std::array<CLI::App*, std::size(protocol::verbs)> commands{};
    for (std::size_t i = 0; i < commands.size(); ++i) {
        auto& verb = protocol::verbs[i];
        commands[i] = app.add_subcommand(std::string(verb.name), _(verb.help));
        commands[i]->add_flag("--json", as_json, json_help);
    }
    auto command = [&](Verb verb) { return commands[static_cast<std::size_t>(verb)]; };
    bool follow = false;
    command(Verb::status)
        ->add_flag("-f,--follow", follow,
                   _("Print a line at every change (with --json, a line for waybar)"));
    std::optional<std::string> stretch;
    command(Verb::take_break)
        ->add_option("--stretch", stretch, _("The stretch to do (see: posturectl stretches list)"))
        ->type_name("STRETCH");
    std::optional<std::string> snooze_for;
    command(Verb::snooze)
        ->add_option("duration", snooze_for, _("How long (default: the configured snooze)"))
        ->check(duration_validator());
    auto* pause = command(Verb::pause);
    std::optional<std::string> pause_for;
    std::optional<std::string> pause_until;
    auto* pause_duration = pause->add_option("duration", pause_for, _("How long, e.g. 2h"))
                               ->check(duration_validator());
    auto* pause_until_option =
        pause->add_option("--until", pause_until, _("Until this time of day"))
            ->check(time_validator())
            ->excludes(pause_duration);
    bool pause_toggle = false;
    pause
        ->add_flag("--toggle", pause_toggle,
                   _("Resume if paused, else pause until resumed (for a status bar's click)"))
        ->excludes(pause_duration, pause_until_option);
    std::string stretches_action = "list";
    std::string stretch_id;
    command(Verb::stretches)
        ->add_option("action", stretches_action, _("list or show"))
        ->check(CLI::IsMember({"list", "show"}));
    command(Verb::stretches)
        ->add_option("id", stretch_id, _("The stretch to show"))
        ->type_name("STRETCH");
    bool open_picture = false;
    command(Verb::stretches)
        ->add_flag("--open", open_picture,
                   _("With show: open its picture in the desktop's viewer"));
    auto* stats = command(Verb::stats);
    int stats_days = 7;
    auto* days_option =
        stats->add_option("--days", stats_days, _("The last N days"))->check(CLI::Range(1, 366));
    auto* week = stats->add_flag_callback(
        "--week", [&] { stats_days = 7; }, _("The last 7 days (the default)"));
    stats
        ->add_flag_callback(
            "--month", [&] { stats_days = 30; }, _("The last 30 days"))
        ->excludes(days_option, week);
    week->excludes(days_option);

    // Commands of posturectl's own.
    auto* config = app.add_subcommand("config", _("Work with the configuration"));
    config->require_subcommand(1);
    auto* check =
        config->add_subcommand("check", _("Check a config file offline (default: the XDG places)"));
    std::string check_file;
    check->add_option("file", check_file, _("The file to check"))->type_name("FILE");
    check->add_flag("--json", as_json, json_help);
    auto* completions =
        app.add_subcommand("completions", _("Print the completion script for a shell"));
    std::string shell;
    completions->add_option("shell", shell, _("bash, zsh or fish"))
        ->required()
        ->check(CLI::IsMember({"bash", "zsh", "fish"}));

    translate_command_groups(app);

    if (argc == 1) {
        std::cout << app.help();
        return 0;
    }

    // The first word that is not an option names the command.
    for (int i = 1; i < argc; ++i) {
        std::string word = argv[i];
        if (word.starts_with("-")) continue;
        auto all = app.get_subcommands([](CLI::App*) { return true; });
        if (std::none_of(all.begin(), all.end(), [&](CLI::App* c) { return c->check_name(word); }))
            return fail(exit_usage,
                        formatted(_("no command \"%s\"; see posturectl --help"), word.c_str()));
        break;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : exit_usage;
    }

    if (*check) return run_config_check(as_json, check_file);
    if (*completions) {
        std::cout << *completion_script(app, shell);
        return 0;
    }
    auto chosen =
        std::find_if(commands.begin(), commands.end(), [](CLI::App* c) { return c->parsed(); });
    if (chosen == commands.end()) return exit_usage;
    auto verb = static_cast<Verb>(chosen - commands.begin());
    auto status_line = [](std::string prefix) {
        return [prefix](const json& reply) { print_status_line(reply, prefix); };
    };
    switch (verb) {
        case Verb::status:
            if (follow) return run_follow(as_json);
            return call({.verb = verb}, as_json, print_status);
        case Verb::take_break:
            return call({.verb = verb, .stretch = stretch}, as_json, [](const json& reply) {
                std::cout << formatted(_("Break: %s"),
                                       reply.at("status").get<Status>().next_stretch.c_str())
                          << "\n";
            });
        case Verb::snooze:
            return call(
                {.verb = verb, .duration = snooze_for ? parse_duration(*snooze_for) : std::nullopt},
                as_json, status_line(""));
        case Verb::skip:
            return call({.verb = verb}, as_json, status_line(_("Skipped. ")));
        case Verb::done:
            return call({.verb = verb}, as_json, status_line(_("Done. ")));
        case Verb::pause:
            if (pause_toggle) return run_pause_toggle(as_json);
            return call(
                {.verb = verb,
                 .duration = pause_for ? parse_duration(*pause_for) : std::nullopt,
                 .until = pause_until ? protocol::parse_time_of_day(*pause_until) : std::nullopt},
                as_json, status_line(""));
        case Verb::resume:
            return call({.verb = verb}, as_json, status_line(_("Resumed. ")));
        case Verb::reload:
            return call({.verb = verb}, as_json, [](const json& reply) {
                for (auto& warning : reply.value("warnings", std::vector<std::string>{}))
                    std::cout << warning << "\n";
                std::cout << _("Configuration reloaded") << "\n";
            });
        case Verb::stretches:
            return run_stretches(as_json, stretches_action, stretch_id, open_picture);
        case Verb::stats:
            return run_stats(as_json, stats_days);
    }
    return exit_usage;
}

}  // namespace

int main(int argc, char** argv) {
    use_the_users_language(program_datadir());
    try {
        return run(argc, argv);
    } catch (const nlohmann::json::exception& e) {
        return fail(
            exit_refused,
            formatted(_("postured sent an answer this posturectl cannot read: %s"), e.what()));
    }
}
