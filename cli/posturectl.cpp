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
#include <cstring>
#include <functional>
#include <iostream>

#include "completions.hpp"
#include "control_client.hpp"
#include "core/duration.hpp"
#include "core/protocol.hpp"
#include "core/safety.hpp"
#include "core/spelling.hpp"
#include "core/version.hpp"
#include "runtime_dir.hpp"

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
        why = "XDG_RUNTIME_DIR is not set, so postured cannot be found";
        return std::nullopt;
    }
    auto path = socket_path(*dir);
    std::string error;
    int code = 0;
    auto client = ControlClient::connect(path, error, code);
    if (client) return client;
    not_running = code == ENOENT || code == ECONNREFUSED;
    why = not_running ? "postured is not running (nothing listens on " + path +
                            "); start it with: systemctl --user start postured"
                      : "cannot reach postured at " + path + ": " + error;
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
    if (!reply) return fail(exit_unreachable, "no answer from postured");
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
        std::cout << "postured sent a status this posturectl does not understand: " << reply.dump()
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
            print(as_json ? json{{"text", "not running"},
                                 {"tooltip", "postured is not running"},
                                 {"class", "not-running"},
                                 {"percentage", 0}}
                                .dump()
                          : std::string("postured is not running"));
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

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (auto& word : words)
        out += (out.empty() ? "" : ", ") + word;
    return out;
}

// Hands the picture to the desktop's viewer, as a file manager's double click would.
int open_picture(const std::string& picture) {
    std::array<const char*, 3> argv{"xdg-open", picture.c_str(), nullptr};
    pid_t pid;
    int spawned =
        posix_spawnp(&pid, argv[0], nullptr, nullptr, const_cast<char**>(argv.data()), environ);
    if (spawned != 0)
        return fail(exit_unreachable,
                    std::string("cannot run xdg-open (from xdg-utils): ") + std::strerror(spawned));
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return fail(exit_refused, "xdg-open could not open " + picture);
    return 0;
}

int run_stretches(bool as_json, const std::string& action, const std::string& id, bool open_it) {
    if (action != "list" && action != "show")
        return fail(exit_usage, "stretches takes list or show ID");
    if (action == "show" && id.empty())
        return fail(exit_usage, "stretches show needs a stretch id");
    if (open_it && action != "show") return fail(exit_usage, "--open goes with stretches show ID");
    auto connection = connect_to_daemon();
    if (!connection.client) return connection.exit_code;
    auto& client = *connection.client;
    client.send(protocol::request_json({.verb = protocol::Verb::stretches}));
    auto reply = client.receive(std::chrono::seconds{10});
    if (!reply) return fail(exit_unreachable, "no answer from postured");
    if (!reply->value("ok", false)) return refused(*reply);
    auto list = reply->at("stretches").get<std::vector<protocol::StretchListing>>();
    if (action == "list") {
        if (as_json) {
            print_json(*reply);
            return 0;
        }
        for (auto& s : list)
            std::printf("%s %-20s %-28s %-9s %s\n",
                        s.favorite  ? "*"
                        : s.offered ? " "
                                    : "-",
                        s.id.c_str(), s.name.c_str(), std::string(to_string(s.position)).c_str(),
                        joined(s.muscles).c_str());
        std::printf("(* favourite, - not offered)\n");
        return 0;
    }
    for (auto& s : list) {
        if (s.id != id) continue;
        if (open_it) {
            if (s.picture.empty()) return fail(exit_refused, s.id + " has no picture");
            return open_picture(s.picture);
        }
        if (as_json) {
            print_json(protocol::ok_reply({{"stretch", s}}));
            return 0;
        }
        std::printf("%s (%s, %s)\n", s.name.c_str(), std::string(to_string(s.position)).c_str(),
                    s.offered ? "offered" : "not offered");
        std::printf("  %s\n  %s\n", s.dose.c_str(), std::string(safety_line).c_str());
        int step = 0;
        for (auto& text : s.steps)
            std::printf("  %d. %s\n", ++step, text.c_str());
        std::printf("  About %s. Works: %s.\n  From: %s\n", format_duration(s.duration).c_str(),
                    joined(s.muscles).c_str(), s.source.c_str());
        if (!s.picture.empty()) std::printf("  Picture: %s\n", s.picture.c_str());
        return 0;
    }
    std::vector<std::string> ids;
    for (auto& s : list)
        ids.push_back(s.id);
    std::string message = "no stretch has the id \"" + id + "\"";
    if (auto near = nearest_key(id, {ids.begin(), ids.end()}))
        message += "; did you mean \"" + std::string(*near) + "\"?";
    return fail(exit_refused, message);
}

// "Mon 23 Nov"
std::string day_label(std::chrono::local_days day) {
    using namespace std::chrono;
    year_month_day date{day};
    auto m = unsigned(date.month()), d = unsigned(date.day());
    constexpr const char* weekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char text[32];
    std::snprintf(text, sizeof text, "%s %2u %s", weekdays[weekday{day}.c_encoding()], d,
                  months[m - 1]);
    return text;
}

// One line a day: a bar of the breaks done (on a terminal), the share, and the counts.
int run_stats(bool as_json, int days) {
    auto connection = connect_to_daemon();
    if (!connection.client) return connection.exit_code;
    auto& client = *connection.client;
    client.send(protocol::request_json({.verb = protocol::Verb::stats, .days = days}));
    auto reply = client.receive(std::chrono::seconds{10});
    if (!reply) return fail(exit_unreachable, "no answer from postured");
    if (!reply->value("ok", false)) return refused(*reply);
    if (as_json) {
        print_json(*reply);
        return 0;
    }
    auto stats = reply->at("stats").get<Stats>();
    bool chart = isatty(STDOUT_FILENO);
    constexpr int width = 10;
    for (auto& d : stats.days) {
        std::string line = day_label(d.day) + "  ";
        auto percent = d.adherence();
        if (!percent) {
            if (chart) line += std::string(width, ' ') + "  ";
            std::cout << line << "no breaks"
                      << (d.natural ? " · " + std::to_string(d.natural) + " natural" : "") << "\n";
            continue;
        }
        if (chart) {
            int full = (*percent * width + 50) / 100;
            for (int i = 0; i < width; ++i)
                line += i < full ? "█" : "░";
            line += "  ";
        }
        char share[8];
        std::snprintf(share, sizeof share, "%3d%%", *percent);
        line += std::string(share) + "  " + std::to_string(d.done) + " done · " +
                std::to_string(d.skipped) + " skipped · " + std::to_string(d.missed) +
                " missed · " + std::to_string(d.natural) + " natural";
        std::cout << line << "\n";
    }
    std::cout << "Adherence "
              << (stats.adherence ? std::to_string(*stats.adherence) + "%" : std::string("-"))
              << " · streak " << stats.streak << (stats.streak == 1 ? " day" : " days")
              << " (a day counts when " << Stats::goal_percent << "% of its breaks are done)\n";
    if (!stats.most_done.empty()) {
        std::cout << "Most done:";
        const char* separator = " ";
        for (auto& most : stats.most_done) {
            std::cout << separator << most.name << " (" << most.done << ")";
            separator = ", ";
        }
        std::cout << "\n";
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
    if (pipe(out) != 0) return fail(exit_unreachable, "cannot run postured");
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
        return fail(exit_unreachable, "cannot run " + postured + ": " + std::strerror(spawned));
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
    if (!reply) return fail(exit_unreachable, "no answer from postured");
    if (!reply->value("ok", false)) return refused(*reply);
    bool paused = reply->at("status").get<Status>().state == State::paused;
    return call({.verb = paused ? protocol::Verb::resume : protocol::Verb::pause}, as_json,
                [paused](const json& r) { print_status_line(r, paused ? "Resumed. " : ""); });
}

CLI::Validator duration_text() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            auto d = parse_duration(text);
            return d && d->count() > 0
                       ? ""
                       : "\"" + text + "\" is not a duration; write e.g. 45s, 15m or 1h30m";
        },
        "DURATION");
}

CLI::Validator time_text() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            return protocol::parse_time_of_day(text)
                       ? ""
                       : "\"" + text + "\" is not a time; write HH:MM, e.g. 13:30";
        },
        "HH:MM");
}

int run(int argc, char** argv) {
    using protocol::Request;
    using protocol::Verb;
    CLI::App app{"posturectl: control postured, the posture-break reminder.", "posturectl"};
    app.require_subcommand(1);
    app.fallthrough();
    app.set_version_flag("--version", std::string("posturectl ") + version);
    bool& as_json = json_output;
    const char* json_help = "Print the answer as one JSON object (docs/json.md)";
    app.add_flag("--json", as_json, json_help);

    // A command for each verb of the protocol, with its options.
    std::array<CLI::App*, std::size(protocol::verbs)> commands{};
    for (std::size_t i = 0; i < commands.size(); ++i) {
        auto& verb = protocol::verbs[i];
        commands[i] = app.add_subcommand(std::string(verb.name), std::string(verb.help));
        commands[i]->add_flag("--json", as_json, json_help);
    }
    auto command = [&](Verb verb) { return commands[static_cast<std::size_t>(verb)]; };
    bool follow = false;
    command(Verb::status)
        ->add_flag("-f,--follow", follow,
                   "Print a line at every change (with --json, a line for waybar)");
    std::optional<std::string> stretch;
    command(Verb::take_break)
        ->add_option("--stretch", stretch, "The stretch to do (see: posturectl stretches list)")
        ->type_name("STRETCH");
    std::optional<std::string> snooze_for;
    command(Verb::snooze)
        ->add_option("duration", snooze_for, "How long (default: the configured snooze)")
        ->check(duration_text());
    auto* pause = command(Verb::pause);
    std::optional<std::string> pause_for;
    std::optional<std::string> pause_until;
    auto* pause_duration =
        pause->add_option("duration", pause_for, "How long, e.g. 2h")->check(duration_text());
    auto* pause_until_option = pause->add_option("--until", pause_until, "Until this time of day")
                                   ->check(time_text())
                                   ->excludes(pause_duration);
    bool pause_toggle = false;
    pause
        ->add_flag("--toggle", pause_toggle,
                   "Resume if paused, else pause until resumed (for a status bar's click)")
        ->excludes(pause_duration, pause_until_option);
    std::string stretches_action = "list";
    std::string stretch_id;
    command(Verb::stretches)
        ->add_option("action", stretches_action, "list or show")
        ->check(CLI::IsMember({"list", "show"}));
    command(Verb::stretches)
        ->add_option("id", stretch_id, "The stretch to show")
        ->type_name("STRETCH");
    bool open_picture = false;
    command(Verb::stretches)
        ->add_flag("--open", open_picture, "With show: open its picture in the desktop's viewer");
    auto* stats = command(Verb::stats);
    int stats_days = 7;
    auto* days_option =
        stats->add_option("--days", stats_days, "The last N days")->check(CLI::Range(1, 366));
    auto* week = stats->add_flag_callback(
        "--week", [&] { stats_days = 7; }, "The last 7 days (the default)");
    stats
        ->add_flag_callback(
            "--month", [&] { stats_days = 30; }, "The last 30 days")
        ->excludes(days_option, week);
    week->excludes(days_option);

    // Commands of posturectl's own.
    auto* config = app.add_subcommand("config", "Work with the configuration");
    config->require_subcommand(1);
    auto* check =
        config->add_subcommand("check", "Check a config file offline (default: the XDG places)");
    std::string check_file;
    check->add_option("file", check_file, "The file to check")->type_name("FILE");
    check->add_flag("--json", as_json, json_help);
    auto* completions =
        app.add_subcommand("completions", "Print the completion script for a shell");
    std::string shell;
    completions->add_option("shell", shell, "bash, zsh or fish")
        ->required()
        ->check(CLI::IsMember({"bash", "zsh", "fish"}));

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
            return fail(exit_usage, "no command \"" + word + "\"; see posturectl --help");
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
                std::cout << "Break: " << reply.at("status").get<Status>().next_stretch << "\n";
            });
        case Verb::snooze:
            return call(
                {.verb = verb, .duration = snooze_for ? parse_duration(*snooze_for) : std::nullopt},
                as_json, status_line(""));
        case Verb::skip:
            return call({.verb = verb}, as_json, status_line("Skipped. "));
        case Verb::done:
            return call({.verb = verb}, as_json, status_line("Done. "));
        case Verb::pause:
            if (pause_toggle) return run_pause_toggle(as_json);
            return call(
                {.verb = verb,
                 .duration = pause_for ? parse_duration(*pause_for) : std::nullopt,
                 .until = pause_until ? protocol::parse_time_of_day(*pause_until) : std::nullopt},
                as_json, status_line(""));
        case Verb::resume:
            return call({.verb = verb}, as_json, status_line("Resumed. "));
        case Verb::reload:
            return call({.verb = verb}, as_json, [](const json& reply) {
                for (auto& warning : reply.value("warnings", std::vector<std::string>{}))
                    std::cout << warning << "\n";
                std::cout << "Configuration reloaded\n";
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
    try {
        return run(argc, argv);
    } catch (const nlohmann::json::exception& e) {
        return fail(
            exit_refused,
            std::string("postured sent an answer this posturectl cannot read: ") + e.what());
    }
}
