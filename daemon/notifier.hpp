#pragma once

#include "core/scheduler.hpp"

namespace postured {

// Where the user's answers to a break go, on the daemon's thread.
class AnswerSink {
  public:
    virtual ~AnswerSink() = default;
    virtual void answer(const Event& answer) = 0;
};

// Shows the break to the user. A re-send of the same break replaces what is shown.
class Notifier {
  public:
    virtual ~Notifier() = default;
    virtual void configure(const Config::Notify&) {}
    virtual void show(const ShowBreak& request) = 0;
    virtual void close() = 0;
};

}  // namespace postured
