#include "sources/gnome_idle.hpp"

#include <spdlog/spdlog.h>

#include "clock.hpp"
#include "core/source_choice.hpp"
#include "glib_loop.hpp"
#include "sources/gnome_session.hpp"

namespace postured {

namespace {

constexpr const char* monitor_path = "/org/gnome/Mutter/IdleMonitor/Core";

}  // namespace

struct GnomeIdle::Attached {
    std::string owner;
    gdbus::Cancellable cancel;
    std::unique_ptr<gdbus::Subscription> fired;
    guint32 idle_watch = 0;
    guint32 active_watch = 0;
    guint32 pause_watch = 0;
    bool pause_wanted = false;
    std::optional<bool> idle;  // as last reported
    std::unique_ptr<gdbus::PropertyWatch> inhibitors;
    std::unique_ptr<GlibTimer> poll;   // the idle time, under an inhibitor
    std::unique_ptr<GlibTimer> retry;  // the idle watch, when it was refused
    bool adding = false;
};

GnomeIdle::GnomeIdle(const BusContext& bus, milliseconds threshold, bool watch_under_inhibitors)
    : bus_(bus), threshold_(threshold), watch_under_inhibitors_(watch_under_inhibitors) {
    watch_.emplace(
        bus_.session, mutter_idle_monitor.c_str(),
        [this](const std::string& owner) { attach(owner); },
        [this] {
            if (!attached_) return;
            spdlog::warn(
                "GNOME's idle monitor left the session bus: idle time is not seen until "
                "it is back");
            attached_.reset();
            bus_.sink.report({name, fact::Gone{}});
        });
}

GnomeIdle::~GnomeIdle() = default;

void GnomeIdle::call_monitor(const char* method, GVariant* args, gdbus::Reply reply) {
    gdbus::call(bus_.session, attached_->owner.c_str(), monitor_path, mutter_idle_monitor.c_str(),
                method, args, attached_->cancel, std::move(reply));
}

void GnomeIdle::attach(const std::string& owner) {
    spdlog::info("watching input through GNOME's idle monitor");
    attached_ = std::make_unique<Attached>();
    attached_->owner = owner;
    attached_->fired = std::make_unique<gdbus::Subscription>(
        bus_.session, owner.c_str(), mutter_idle_monitor.c_str(), "WatchFired", monitor_path,
        nullptr, [this](const char*, GVariant* parameters) {
            guint32 watch = 0;
            g_variant_get(parameters, "(u)", &watch);
            fired(watch);
        });
    // Where the user stands now first: the idle watch fires only on reaching the threshold.
    check_idle_time();
    add_idle_watch();
    // Mutter's idle watch is silent while gnome-session holds an idle inhibitor: when that time
    // is not work, the idle time is asked for instead, every threshold, while one is held.
    if (watch_under_inhibitors_)
        attached_->inhibitors = watch_gnome_idle_inhibitors(
            bus_.session, GnomeSession::bus_name, attached_->cancel, [this](bool held) {
                if (!held)
                    attached_->poll.reset();
                else if (!attached_->poll)
                    attached_->poll =
                        std::make_unique<GlibTimer>(threshold_, [this] { check_idle_time(); });
            });
}

void GnomeIdle::add_idle_watch() {
    if (attached_->adding) return;  // one call at a time, however slow its answer
    attached_->adding = true;
    call_monitor("AddIdleWatch", g_variant_new("(t)", guint64(threshold_.count())),
                 [this](GVariant* reply, const GError* error) {
                     attached_->adding = false;
                     if (reply) {
                         g_variant_get(reply, "(u)", &attached_->idle_watch);
                         attached_->retry.reset();
                         return;
                     }
                     // A compositor busy at login may not answer in time: ask again.
                     if (attached_->retry) return;
                     spdlog::warn(
                         "GNOME's idle monitor did not take an idle watch ({}); asking "
                         "again every 10 s",
                         error->message);
                     attached_->retry = std::make_unique<GlibTimer>(std::chrono::seconds{10},
                                                                    [this] { add_idle_watch(); });
                 });
}

void GnomeIdle::fired(guint32 watch) {
    if (watch == 0) return;
    if (watch == attached_->idle_watch) {
        // Input between the firing and the arming of the watch is caught by the input after it
        // or, if there is none, by the idle watch firing again.
        if (attached_->idle != true)
            bus_.sink.report({name, fact::Idle{boot_clock_now() - threshold_}});
        attached_->idle = true;
        arm_active_watch();
    } else if (watch == attached_->pause_watch) {
        remove_pause_watch();
        bus_.sink.report({name, fact::InputPaused{}});
    } else if (watch == attached_->active_watch) {
        attached_->active_watch = 0;
        attached_->idle = false;
        bus_.sink.report({name, fact::Active{boot_clock_now()}});
    }
}

// Mutter fires an idle watch at once when the user is idle past it already.
bool GnomeIdle::watch_for_pause(bool on) {
    if (!attached_) return false;
    if (!on) {
        remove_pause_watch();
        return true;
    }
    attached_->pause_wanted = true;
    auto length = duration_cast<milliseconds>(pause_length);
    call_monitor("AddIdleWatch", g_variant_new("(t)", guint64(length.count())),
                 [this](GVariant* reply, const GError*) {
                     if (!reply) return bus_.sink.report({name, fact::InputPaused{}});
                     g_variant_get(reply, "(u)", &attached_->pause_watch);
                     if (!attached_->pause_wanted) remove_pause_watch();
                 });
    return true;
}

void GnomeIdle::remove_pause_watch() {
    attached_->pause_wanted = false;
    if (!attached_->pause_watch) return;
    call_monitor("RemoveWatch", g_variant_new("(u)", attached_->pause_watch),
                 [](GVariant*, const GError*) {});
    attached_->pause_watch = 0;
}

// Where the user stands, from the idle time itself: at the start, and under an inhibitor.
void GnomeIdle::check_idle_time() {
    call_monitor("GetIdletime", nullptr, [this](GVariant* reply, const GError*) {
        if (!reply) return;
        guint64 ms = 0;
        g_variant_get(reply, "(t)", &ms);
        auto now = boot_clock_now();
        auto idle_time = milliseconds{ms};
        auto& idle = attached_->idle;
        if (idle_time >= threshold_) {
            if (idle != true) bus_.sink.report({name, fact::Idle{now - idle_time}});
            idle = true;
            arm_active_watch();
        } else {
            if (idle != false) bus_.sink.report({name, fact::Active{now - idle_time}});
            idle = false;
        }
    });
}

void GnomeIdle::arm_active_watch() {
    if (attached_->active_watch) return;
    call_monitor("AddUserActiveWatch", nullptr, [this](GVariant* reply, const GError*) {
        if (reply) g_variant_get(reply, "(u)", &attached_->active_watch);
    });
}

}  // namespace postured
