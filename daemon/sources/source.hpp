#pragma once

#include <functional>

#include "core/presence.hpp"
#include "core/source_choice.hpp"

namespace postured {

// Where the presence sources' news goes, on the daemon's thread.
class PresenceSink {
  public:
    virtual ~PresenceSink() = default;
    // `after_saved`, when set, runs once the fact is taken and the state is on disk: logind
    // waits for it before the machine sleeps.
    virtual void report(const Report& report, std::function<void()> after_saved) = 0;
    void report(const Report& report) { this->report(report, {}); }
    // The idle source picked for the session, and what it watches with (a Wayland protocol) or
    // why it watches nothing yet, for `posturectl status`.
    virtual void use_idle_source(const IdleSourceChoice& choice) = 0;
    virtual void use_idle_protocol(std::string protocol) = 0;
};

// Watches one thing on the desktop and reports what it sees, dated, through a PresenceSink: from
// when it is made until it is destroyed, on the daemon's thread. One that goes away
// reports fact::Gone, and takes up watching again by itself when its peer comes back.
class Source {
  public:
    virtual ~Source() = default;
};

// What an idle source that can tell a pause in input offers, while a break is due.
class PauseWatcher {
  public:
    virtual ~PauseWatcher() = default;
    // Tells fact::InputPaused once input has paused for pause_length, while `on`. False when it
    // cannot, or input has paused already.
    virtual bool watch_for_pause(bool on) = 0;
    static constexpr seconds pause_length{3};
};

// What a source of do-not-disturb that tells no changes offers, while a break is due: it asks
// whether it is on, now and again while `on`, each answer a fact::Quiet with `answer` set.
// False when it cannot.
class QuietAsker {
  public:
    virtual ~QuietAsker() = default;
    virtual bool ask_quiet(bool on) = 0;
};

}  // namespace postured
