#include "session_bus.hpp"

#include <spdlog/spdlog.h>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "gdbus.hpp"

namespace postured {

namespace {

const char* const session_variables[] = {"XDG_SESSION_TYPE", "XDG_CURRENT_DESKTOP", "DISPLAY",
                                         "WAYLAND_DISPLAY", "SWAYSOCK"};

std::string* variable(SessionFacts& facts, std::string_view key) {
    if (key == "XDG_SESSION_TYPE") return &facts.session_type;
    if (key == "XDG_CURRENT_DESKTOP") return &facts.current_desktop;
    if (key == "DISPLAY") return &facts.display;
    if (key == "WAYLAND_DISPLAY") return &facts.wayland_display;
    if (key == "SWAYSOCK") return &facts.sway_socket;
    return nullptr;
}

}  // namespace

SessionFacts session_from_environment() {
    SessionFacts facts;
    for (auto* key : session_variables)
        if (const char* value = std::getenv(key)) *variable(facts, key) = value;
    return facts;
}

SessionBus::SessionBus(std::function<void()> lost) : lost_(std::move(lost)) {
    GError* error = nullptr;
    session_ = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &error);
    if (!session_) {
        std::runtime_error failed(error->message);
        g_clear_error(&error);
        throw failed;
    }
    // GDBus would raise SIGTERM, a clean stop that the service manager does not restart.
    g_dbus_connection_set_exit_on_close(session_, FALSE);
    g_signal_connect(session_, "closed",
                     G_CALLBACK(+[](GDBusConnection*, gboolean, GError*, gpointer self) {
                         static_cast<SessionBus*>(self)->lost_();
                     }),
                     this);
    system_ = g_bus_get_sync(G_BUS_TYPE_SYSTEM, nullptr, &error);
    if (system_) {
        // The system bus going away must not end the daemon, as GDBus would.
        g_dbus_connection_set_exit_on_close(system_, FALSE);
    } else {
        spdlog::warn(
            "no system bus ({}): suspends are seen only through the clock, and locks only "
            "through the screen lockers",
            error->message);
        g_clear_error(&error);
    }
}

SessionBus::~SessionBus() {
    g_signal_handlers_disconnect_by_data(session_, this);
    if (system_) g_object_unref(system_);
    g_object_unref(session_);
}

void SessionBus::read_session(std::function<void(const SessionFacts&)> done) {
    auto facts = std::make_shared<SessionFacts>(session_from_environment());
    auto finish = [facts, done = std::move(done)] { done(*facts); };
    auto from_manager = [this, facts, finish] {
        // Under the user manager, the session may have exported its variables there since.
        if (!std::getenv("INVOCATION_ID")) return finish();
        gdbus::get_property(session_, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                            "org.freedesktop.systemd1.Manager", "Environment", nullptr,
                            [facts, finish](GVariant* environment, const GError*) {
                                if (environment) {
                                    GVariantIter iter;
                                    const char* entry = nullptr;
                                    g_variant_iter_init(&iter, environment);
                                    while (g_variant_iter_next(&iter, "&s", &entry)) {
                                        std::string_view text = entry;
                                        auto equals = text.find('=');
                                        if (equals == std::string_view::npos) continue;
                                        if (auto* field = variable(*facts, text.substr(0, equals)))
                                            *field = text.substr(equals + 1);
                                    }
                                }
                                finish();
                            });
    };
    gdbus::call(session_, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                "ListNames", nullptr, nullptr,
                [facts, from_manager](GVariant* reply, const GError*) {
                    if (reply) {
                        GVariantIter* names = nullptr;
                        const char* name = nullptr;
                        g_variant_get(reply, "(as)", &names);
                        while (g_variant_iter_next(names, "&s", &name))
                            if (name[0] != ':') facts->bus_names.emplace_back(name);
                        g_variant_iter_free(names);
                    }
                    from_manager();
                });
}

}  // namespace postured
