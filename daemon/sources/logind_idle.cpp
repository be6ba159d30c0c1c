#include "sources/logind_idle.hpp"

#include <spdlog/spdlog.h>

#include "clock.hpp"
#include "sources/logind.hpp"

namespace postured {

namespace {

constexpr const char* session_interface = "org.freedesktop.login1.Session";

}  // namespace

LogindIdle::LogindIdle(const BusContext& bus) : bus_(bus) {
    if (!bus_.system) {
        spdlog::warn("no system bus: logind's idle hint cannot be read");
        return;
    }
    watch_.emplace(
        bus_.system, "org.freedesktop.login1", [this](const std::string& owner) { attach(owner); },
        [this] {
            if (!cancel_) return;
            cancel_.reset();
            changes_.reset();
            bus_.sink.report({name, fact::Gone{}});
        });
}

LogindIdle::~LogindIdle() = default;

void LogindIdle::attach(const std::string& owner) {
    cancel_ = std::make_unique<gdbus::Cancellable>();
    owner_ = owner;
    find_logind_session(bus_.system, *cancel_,
                        [this](const std::string& path) { watch_session(path); });
}

void LogindIdle::watch_session(const std::string& path) {
    if (path.empty()) {
        spdlog::warn("logind knows no session of this user: its idle hint cannot be read");
        return;
    }
    changes_ = std::make_unique<gdbus::Subscription>(
        bus_.system, owner_.c_str(), "org.freedesktop.DBus.Properties", "PropertiesChanged",
        path.c_str(), session_interface, [this](const char*, GVariant* parameters) {
            GVariant* changed = g_variant_get_child_value(parameters, 1);
            hint(changed);
            g_variant_unref(changed);
        });
    gdbus::call(bus_.system, owner_.c_str(), path.c_str(), "org.freedesktop.DBus.Properties",
                "GetAll", g_variant_new("(s)", session_interface), *cancel_,
                [this](GVariant* reply, const GError*) {
                    if (!reply) return;
                    GVariant* all = g_variant_get_child_value(reply, 0);
                    hint(all);
                    g_variant_unref(all);
                });
}

void LogindIdle::hint(GVariant* properties) {
    gboolean idle = FALSE;
    if (!g_variant_lookup(properties, "IdleHint", "b", &idle)) return;
    auto now = boot_clock_now();
    if (!idle) return bus_.sink.report({name, fact::Active{now}});
    guint64 since = 0;
    auto at = g_variant_lookup(properties, "IdleSinceHintMonotonic", "t", &since) && since > 0
                  ? std::min(from_monotonic(std::chrono::microseconds{since}), now)
                  : now;
    bus_.sink.report({name, fact::Idle{at}});
}

}  // namespace postured
