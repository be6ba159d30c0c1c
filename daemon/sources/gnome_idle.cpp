#include "sources/gnome_idle.hpp"

#include <spdlog/spdlog.h>

#include "clock.hpp"
#include "core/source_choice.hpp"

namespace postured {

namespace {

constexpr const char* monitor_path = "/org/gnome/Mutter/IdleMonitor/Core";
constexpr const char* session_manager = "org.gnome.SessionManager";
constexpr guint32 inhibit_idle = 8;

}  // namespace

struct GnomeIdle::Attached {
    std::string owner;
    gdbus::Cancellable cancel;
    std::unique_ptr<gdbus::Subscription> fired;
    guint32 idle_watch = 0;
    guint32 active_watch = 0;
    std::optional<bool> idle;  // as last reported
    std::unique_ptr<gdbus::Subscription> inhibitor_changes;
    GSource* poll = nullptr;

    ~Attached() {
        if (poll) {
            g_source_destroy(poll);
            g_source_unref(poll);
        }
    }
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
    check_idle_time(std::nullopt);
    call_monitor("AddIdleWatch", g_variant_new("(t)", guint64(threshold_.count())),
                 [this](GVariant* reply, const GError* error) {
                     if (reply) return g_variant_get(reply, "(u)", &attached_->idle_watch);
                     spdlog::warn("GNOME's idle monitor refused an idle watch: {}", error->message);
                 });
    if (!watch_under_inhibitors_) return;
    attached_->inhibitor_changes = std::make_unique<gdbus::Subscription>(
        bus_.session, nullptr, "org.freedesktop.DBus.Properties", "PropertiesChanged",
        "/org/gnome/SessionManager", session_manager, [this](const char*, GVariant* parameters) {
            guint32 actions = 0;
            GVariant* changed = g_variant_get_child_value(parameters, 1);
            if (g_variant_lookup(changed, "InhibitedActions", "u", &actions))
                inhibitors(actions & inhibit_idle);
            g_variant_unref(changed);
        });
    gdbus::get_property(bus_.session, session_manager, "/org/gnome/SessionManager", session_manager,
                        "InhibitedActions", attached_->cancel,
                        [this](GVariant* value, const GError*) {
                            if (value) inhibitors(g_variant_get_uint32(value) & inhibit_idle);
                        });
}

void GnomeIdle::fired(guint32 watch) {
    if (watch == 0) return;
    if (watch == attached_->idle_watch) {
        // Armed before the idle time is read, so that input from here on is not missed.
        arm_active_watch();
        check_idle_time(boot_clock_now());
    } else if (watch == attached_->active_watch) {
        attached_->active_watch = 0;
        attached_->idle = false;
        bus_.sink.report({name, fact::Active{boot_clock_now()}});
    }
}

// `fired_at`: when the idle watch fired; input may have come back before the answer.
void GnomeIdle::check_idle_time(std::optional<MonoTime> fired_at) {
    call_monitor("GetIdletime", nullptr, [this, fired_at](GVariant* reply, const GError*) {
        if (!reply) return;
        guint64 ms = 0;
        g_variant_get(reply, "(t)", &ms);
        auto now = boot_clock_now();
        auto idle_time = milliseconds{ms};
        auto& idle = attached_->idle;
        if (idle_time >= threshold_) {
            if (idle != true) bus_.sink.report({name, fact::Idle{now - idle_time}});
            idle = true;
            if (!fired_at) arm_active_watch();
            return;
        }
        if (fired_at && idle != true) bus_.sink.report({name, fact::Idle{*fired_at - threshold_}});
        if (fired_at || idle != false) bus_.sink.report({name, fact::Active{now - idle_time}});
        idle = false;
    });
}

void GnomeIdle::arm_active_watch() {
    if (attached_->active_watch) return;
    call_monitor("AddUserActiveWatch", nullptr, [this](GVariant* reply, const GError*) {
        if (reply) g_variant_get(reply, "(u)", &attached_->active_watch);
    });
}

// Mutter's idle watch is silent while gnome-session holds an idle inhibitor.
void GnomeIdle::inhibitors(bool held) {
    if (!held) {
        if (attached_->poll) {
            g_source_destroy(attached_->poll);
            g_source_unref(attached_->poll);
            attached_->poll = nullptr;
        }
        return;
    }
    if (attached_->poll) return;
    attached_->poll = g_timeout_source_new(guint(threshold_.count()));
    g_source_set_callback(
        attached_->poll,
        [](gpointer self) -> gboolean {
            static_cast<GnomeIdle*>(self)->check_idle_time(std::nullopt);
            return G_SOURCE_CONTINUE;
        },
        this, nullptr);
    g_source_attach(attached_->poll, g_main_context_get_thread_default());
}

}  // namespace postured
