#include "sources/x11_idle.hpp"

#include <spdlog/spdlog.h>
#include <mutex>

#include "clock.hpp"

#include <X11/Xlib.h>
#include <X11/extensions/sync.h>

namespace postured {

namespace {

// Xlib's default handlers print and exit the process; a lost X server must not end the daemon.
void quiet_xlib_errors() {
    static std::once_flag once;
    std::call_once(once, [] {
        XSetErrorHandler([](Display*, XErrorEvent* e) {
            spdlog::debug("X error {} on request {}", int(e->error_code), int(e->request_code));
            return 0;
        });
        XSetIOErrorHandler([](Display*) { return 0; });
    });
}

milliseconds to_milliseconds(const XSyncValue& value) {
    auto high = std::int64_t(XSyncValueHigh32(value));
    return milliseconds{(high << 32) | XSyncValueLow32(value)};
}

}  // namespace

X11Idle::X11Idle(boost::asio::io_context& io, DesktopSink& sink, std::string display,
                 milliseconds threshold)
    : sink_(sink),
      display_name_(std::move(display)),
      threshold_(threshold),
      connection_(io),
      reconnect_(io, [this] { return connect(); }) {
    quiet_xlib_errors();
    if (!connect()) reconnect_.later();
}

X11Idle::~X11Idle() {
    disconnect();
}

bool X11Idle::connect() {
    display_ = XOpenDisplay(display_name_.c_str());
    if (!display_) {
        if (!told_unreachable_)
            spdlog::warn("cannot open the X display {}: idle time is not seen until it can be",
                         display_name_);
        told_unreachable_ = true;
        return false;
    }
    lost_ = false;
    XSetIOErrorExitHandler(
        display_, [](Display*, void* self) { static_cast<X11Idle*>(self)->lost_ = true; }, this);

    int error_base = 0, major = 0, minor = 0;
    XSyncCounter idletime = None;
    if (XSyncQueryExtension(display_, &event_base_, &error_base) &&
        XSyncInitialize(display_, &major, &minor)) {
        int count = 0;
        XSyncSystemCounter* counters = XSyncListSystemCounters(display_, &count);
        for (int i = 0; i < count; ++i)
            if (std::string_view(counters[i].name) == "IDLETIME") idletime = counters[i].counter;
        if (counters) XSyncFreeSystemCounterList(counters);
    }
    if (idletime == None) {
        spdlog::error(
            "the X server {} has no IDLETIME counter (SYNC extension): idle time is not "
            "seen; set [activity] source to another source",
            display_name_);
        XCloseDisplay(display_);
        display_ = nullptr;
        return true;  // not worth trying again
    }
    idletime_ = idletime;
    idle_alarm_ = make_alarm(idletime, XSyncPositiveTransition, threshold_);
    active_alarm_ = make_alarm(idletime, XSyncNegativeTransition, threshold_);

    // An alarm fires on a transition only: a user idle already is told by the counter.
    XSyncValue value;
    if (!XSyncQueryCounter(display_, idletime, &value) || lost_) {
        disconnect();
        return false;
    }
    auto now = boot_clock_now();
    auto idle = to_milliseconds(value);
    if (idle >= threshold_)
        sink_.report({name, fact::Idle{now - idle}});
    else
        sink_.report({name, fact::Active{now}});
    if (told_unreachable_) spdlog::info("watching input on the X display {} again", display_name_);
    told_unreachable_ = false;
    reconnect_.connected();

    connection_.assign(ConnectionNumber(display_));
    read_events();
    return true;
}

bool X11Idle::watch_for_pause(bool on) {
    if (!display_) return false;
    if (pause_alarm_) XSyncDestroyAlarm(display_, pause_alarm_);
    pause_alarm_ = 0;
    XSyncValue idle;
    if (on && XSyncQueryCounter(display_, idletime_, &idle) && to_milliseconds(idle) < pause_length)
        pause_alarm_ = make_alarm(idletime_, XSyncPositiveTransition, pause_length);
    XFlush(display_);
    return pause_alarm_ != 0;
}

void X11Idle::report_pause() {
    XSyncDestroyAlarm(display_, pause_alarm_);
    pause_alarm_ = 0;
    sink_.report({name, fact::InputPaused{}});
}

unsigned long X11Idle::make_alarm(unsigned long counter, int test, milliseconds value) {
    XSyncAlarmAttributes attributes{};
    attributes.trigger.counter = counter;
    attributes.trigger.value_type = XSyncAbsolute;
    attributes.trigger.test_type = static_cast<XSyncTestType>(test);
    XSyncIntsToValue(&attributes.trigger.wait_value,
                     static_cast<unsigned>(value.count() & 0xffffffff),
                     static_cast<int>(value.count() >> 32));
    XSyncIntToValue(&attributes.delta, 0);
    attributes.events = True;
    return XSyncCreateAlarm(display_,
                            XSyncCACounter | XSyncCAValueType | XSyncCATestType | XSyncCAValue |
                                XSyncCADelta | XSyncCAEvents,
                            &attributes);
}

void X11Idle::wait_for_events() {
    connection_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                           [this](const boost::system::error_code& ec) {
                               if (!ec) read_events();
                           });
}

void X11Idle::read_events() {
    while (!lost_ && XPending(display_) > 0) {
        XEvent event;
        XNextEvent(display_, &event);
        if (event.type != event_base_ + XSyncAlarmNotify) continue;
        auto& alarm = reinterpret_cast<XSyncAlarmNotifyEvent&>(event);
        auto now = boot_clock_now();
        if (alarm.alarm == idle_alarm_)
            sink_.report({name, fact::Idle{now - to_milliseconds(alarm.counter_value)}});
        else if (alarm.alarm == active_alarm_)
            sink_.report({name, fact::Active{now}});
        else if (alarm.alarm == pause_alarm_ && pause_alarm_)
            report_pause();
    }
    if (!lost_) return wait_for_events();
    spdlog::warn("lost the X display {}: idle time is not seen until it is back", display_name_);
    told_unreachable_ = true;
    disconnect();
    sink_.report({name, fact::Gone{}});
    reconnect_.later();
}

void X11Idle::disconnect() {
    reconnect_.cancel();
    if (!display_) return;
    if (connection_.is_open()) {
        connection_.cancel();
        connection_.release();  // the descriptor is Xlib's to close
    }
    XCloseDisplay(display_);
    display_ = nullptr;
    pause_alarm_ = 0;
}

}  // namespace postured
