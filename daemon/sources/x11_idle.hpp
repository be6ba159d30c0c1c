#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <string>

#include "sources/reconnect.hpp"
#include "sources/source.hpp"

// Xlib's headers define Status, which would clash with postured's: they stay in the .cpp.
struct _XDisplay;

namespace postured {

// Input idleness from an X server: two XSync alarms on its IDLETIME counter, one when the user
// has been idle `threshold` (reported as idle since the last input), one when input comes again.
// The connection is a file descriptor on the Asio loop; nothing polls. A server that goes away
// is looked for again, less often the longer it stays away.
class X11Idle : public Source {
  public:
    X11Idle(boost::asio::io_context& io, DesktopSink& sink, std::string display,
            milliseconds threshold);
    ~X11Idle() override;

    bool watch_for_pause(bool on) override;

    static constexpr const char* name = "x11";

  private:
    bool connect();
    void disconnect();
    void wait_for_events();
    void read_events();
    void report_pause();
    unsigned long make_alarm(unsigned long counter, int test, milliseconds value);

    DesktopSink& sink_;
    std::string display_name_;
    milliseconds threshold_;
    _XDisplay* display_ = nullptr;
    bool lost_ = false;
    int event_base_ = 0;
    unsigned long idle_alarm_ = 0;  // XSyncAlarm
    unsigned long active_alarm_ = 0;
    unsigned long idletime_ = 0;     // XSyncCounter
    unsigned long pause_alarm_ = 0;  // while a break waits for a pause
    boost::asio::posix::stream_descriptor connection_;
    Reconnect reconnect_;
    bool told_unreachable_ = false;
};

}  // namespace postured
