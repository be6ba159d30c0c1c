#include "sources/x11_idle.hpp"

#include <spdlog/spdlog.h>

#include "clock.hpp"

#include <X11/Xlib.h>
#include <X11/extensions/sync.h>

namespace postured {

namespace {

milliseconds to_milliseconds(const XSyncValue& value) {
    auto high = std::int64_t(XSyncValueHigh32(value));
    return milliseconds{(high << 32) | XSyncValueLow32(value)};
}

}  // namespace

X11Idle::X11Idle(boost::asio::io_context& io, PresenceSink& sink, std::string display,
                 milliseconds threshold)
    : sink_(sink),
      threshold_(threshold),
      connection_(io, std::move(display), "idle time", spdlog::level::warn,
                  {[this](Display* d) { return setup(d); }, [this](XEvent& e) { read(e); },
                   [this] {
                       pause_alarm_ = 0;
                       sink_.report({name, fact::Gone{}});
                   }}) {}

X11Connection::Setup X11Idle::setup(Display* display) {
    int error_base = 0, major = 0, minor = 0;
    idletime_ = None;
    if (XSyncQueryExtension(display, &event_base_, &error_base) &&
        XSyncInitialize(display, &major, &minor)) {
        int count = 0;
        XSyncSystemCounter* counters = XSyncListSystemCounters(display, &count);
        for (int i = 0; i < count; ++i)
            if (std::string_view(counters[i].name) == "IDLETIME") idletime_ = counters[i].counter;
        if (counters) XSyncFreeSystemCounterList(counters);
    }
    if (idletime_ == None) {
        spdlog::error(
            "the X server {} has no IDLETIME counter (SYNC extension): idle time is not "
            "seen; set [activity] source to another source",
            DisplayString(display));
        return X11Connection::Setup::give_up;
    }
    pause_alarm_ = 0;
    idle_alarm_ = make_alarm(XSyncPositiveTransition, threshold_);
    active_alarm_ = make_alarm(XSyncNegativeTransition, threshold_);

    // An alarm fires on a transition only: a user idle already is told by the counter.
    XSyncValue value;
    if (!XSyncQueryCounter(display, idletime_, &value)) return X11Connection::Setup::retry;
    auto now = boot_clock_now();
    auto idle = to_milliseconds(value);
    if (idle >= threshold_)
        sink_.report({name, fact::Idle{now - idle}});
    else
        sink_.report({name, fact::Active{now}});
    return X11Connection::Setup::ready;
}

bool X11Idle::watch_for_pause(bool on) {
    auto* display = connection_.display();
    if (!display) return false;
    if (pause_alarm_) XSyncDestroyAlarm(display, pause_alarm_);
    pause_alarm_ = 0;
    XSyncValue idle;
    if (on && XSyncQueryCounter(display, idletime_, &idle) && to_milliseconds(idle) < pause_length)
        pause_alarm_ = make_alarm(XSyncPositiveTransition, pause_length);
    XFlush(display);
    return pause_alarm_ != 0;
}

unsigned long X11Idle::make_alarm(int test, milliseconds value) {
    XSyncAlarmAttributes attributes{};
    attributes.trigger.counter = idletime_;
    attributes.trigger.value_type = XSyncAbsolute;
    attributes.trigger.test_type = static_cast<XSyncTestType>(test);
    XSyncIntsToValue(&attributes.trigger.wait_value,
                     static_cast<unsigned>(value.count() & 0xffffffff),
                     static_cast<int>(value.count() >> 32));
    XSyncIntToValue(&attributes.delta, 0);
    attributes.events = True;
    return XSyncCreateAlarm(connection_.display(),
                            XSyncCACounter | XSyncCAValueType | XSyncCATestType | XSyncCAValue |
                                XSyncCADelta | XSyncCAEvents,
                            &attributes);
}

void X11Idle::read(XEvent& event) {
    if (event.type != event_base_ + XSyncAlarmNotify) return;
    auto& alarm = reinterpret_cast<XSyncAlarmNotifyEvent&>(event);
    auto now = boot_clock_now();
    if (alarm.alarm == idle_alarm_) {
        sink_.report({name, fact::Idle{now - to_milliseconds(alarm.counter_value)}});
    } else if (alarm.alarm == active_alarm_) {
        sink_.report({name, fact::Active{now}});
    } else if (alarm.alarm == pause_alarm_ && pause_alarm_) {
        XSyncDestroyAlarm(connection_.display(), pause_alarm_);
        pause_alarm_ = 0;
        sink_.report({name, fact::InputPaused{}});
    }
}

}  // namespace postured
