#pragma once

#include <functional>

#include "core/presence.hpp"

namespace postured {

// Where the desktop's news goes, on the Asio loop: what presence sources see, and the user's
// answers to a break.
class DesktopSink {
  public:
    virtual ~DesktopSink() = default;
    // `after_saved`, when set, runs once the fact is taken and the state is on disk: logind
    // waits for it before the machine sleeps.
    virtual void report(const Report& report, std::function<void()> after_saved) = 0;
    void report(const Report& report) { this->report(report, {}); }
    virtual void answer(const Event& answer) = 0;
};

// Watches one thing on the desktop and reports what it sees, dated, through a DesktopSink: from
// when it is made until it is destroyed, on the thread it was made on. One that goes away
// reports fact::Gone, and takes up watching again by itself when its peer comes back.
class Source {
  public:
    virtual ~Source() = default;
    // An idle source that can, tells fact::InputPaused once input has paused for pause_length,
    // while `on`. False when it cannot, or input has paused already.
    virtual bool watch_for_pause(bool /*on*/) { return false; }
    static constexpr seconds pause_length{3};
    // A source that tells no changes of do-not-disturb asks whether it is on, now and again
    // while `on`, each answer a fact::Quiet with `answer` set. False when it cannot.
    virtual bool ask_quiet(bool /*on*/) { return false; }
};

}  // namespace postured
