#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/presence.hpp"
#include "core/scheduler.hpp"
#include "core/source_choice.hpp"

namespace postured {

// A line for the journal.
struct LogLine {
    enum class Level { debug, info, warn, error } level;
    std::string text;
    bool operator==(const LogLine&) const = default;
};

// The state to write, with the breaks that ended since the last write, in one transaction.
struct Save {
    Snapshot state;
    std::vector<Record> ended;
};

// What one step asks of the house, to be carried out in this order: the journal's lines, the
// scheduler's actions, the write, and the status to publish when it changed.
struct Effects {
    std::vector<LogLine> log;
    std::vector<Action> actions;
    std::optional<Save> save;
    std::optional<Status> status;
    Said refused;  // why an event was refused; empty when it was taken
};

// A source's fact, or one of the user's requests and answers.
using Input = std::variant<Report, Event>;

// Every decision of the daemon, without I/O: the presence tracker and the scheduler joined, a
// sleep noticed on the clocks, when to write the state, and when the status changed. The
// caller passes the time with every call, carries out the effects, tells how each write went,
// and calls handle(Tick) again by next_deadline() or when the local calendar reaches
// next_calendar_change().
class Daemon {
  public:
    // `keeps_state`: there is a database to write to.
    Daemon(Config config, Now now, std::uint64_t seed, bool keeps_state);

    // Takes up the saved state, if any; the first step.
    Effects start(Now now, const std::optional<Snapshot>& saved);
    // `save`: the state is written once the input is taken, even when only its time changed, as
    // before a sleep, so that a wake-up knows when counting stopped.
    Effects handle(Now now, const Input& input, bool save = false);
    Effects reconfigure(Now now, Config config);
    Effects use_idle_source(Now now, const IdleSourceChoice& choice);
    // What the idle source watches with (a Wayland protocol), or why it watches nothing yet.
    Effects use_idle_protocol(Now now, std::string protocol);
    // Writes the state even when only its time changed: at a stop, and before a sleep, so that
    // a restart or a wake-up knows when counting stopped.
    Effects save_now(Now now);
    // How the write of `save` went: `error` says why it failed.
    Effects saved(Now now, const Save& save, const std::optional<std::string>& error);

    // Where the hour stands at `now`, computed without changing anything.
    Status status(Now now) const;
    MonoTime next_deadline() const;
    LocalTime next_calendar_change() const { return scheduler_.next_calendar_change(); }
    const Config& config() const { return scheduler_.config(); }
    const Scheduler& scheduler() const { return scheduler_; }
    const PresenceTracker& presence() const { return presence_; }

    // Written every few minutes while work is counted, so that a crash loses little.
    static constexpr seconds checkpoint_every{5 * 60};
    static constexpr seconds retry_save_after{60};

  private:
    void notice_sleep(Now now, Effects& effects);
    void take(Now now, const Report& report, Effects& effects);
    void perform(Now now, Output output, Effects& effects);
    void settle(Now now, Effects& effects);
    void write(Now now, bool even_unchanged, Effects& effects);
    Status describe(Status status) const;

    Scheduler scheduler_;
    PresenceTracker presence_;
    bool keeps_state_;
    milliseconds suspended_;  // as last read
    IdleSourceChoice idle_source_;
    std::string idle_protocol_;

    std::vector<Record> unsaved_;
    std::optional<Snapshot> saved_;  // what the database holds, when known
    bool must_save_ = false;
    std::optional<MonoTime> checkpoint_at_;
    std::optional<MonoTime> retry_at_;
    std::string save_error_;  // the last one told, until a write works
    std::size_t saved_late_ = 0;

    // What status followers were last told, in short: they are told again when it changes.
    struct Told {
        State state = State::working;
        Presence presence = Presence::active;
        bool inhibited = false;
        bool in_call = false;
        std::string idle_source;
        std::string idle_protocol;
        bool operator==(const Told&) const = default;
    };
    std::optional<Told> told_;
};

}  // namespace postured
