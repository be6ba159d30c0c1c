#pragma once

#include "sources/source.hpp"
#include "sources/x11_connection.hpp"

namespace postured {

// Input idleness from an X server: two XSync alarms on its IDLETIME counter, one when the user
// has been idle `threshold` (reported as idle since the last input), one when input comes again.
class X11Idle : public Source, public PauseWatcher {
  public:
    X11Idle(boost::asio::io_context& io, PresenceSink& sink, std::string display,
            milliseconds threshold);

    bool watch_for_pause(bool on) override;

    static constexpr const char* name = "x11";

  private:
    X11Connection::Setup setup(_XDisplay* display);
    void read(_XEvent& event);
    unsigned long make_alarm(int test, milliseconds value);

    PresenceSink& sink_;
    milliseconds threshold_;
    int event_base_ = 0;
    unsigned long idle_alarm_ = 0;  // XSyncAlarm
    unsigned long active_alarm_ = 0;
    unsigned long idletime_ = 0;     // XSyncCounter
    unsigned long pause_alarm_ = 0;  // while a break waits for a pause
    X11Connection connection_;
};

}  // namespace postured
