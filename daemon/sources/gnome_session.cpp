#include "sources/gnome_session.hpp"

#include <spdlog/spdlog.h>

namespace postured {

std::unique_ptr<gdbus::PropertyWatch> watch_gnome_idle_inhibitors(GDBusConnection* session,
                                                                  const char* owner,
                                                                  GCancellable* cancel,
                                                                  std::function<void(bool)> held) {
    constexpr guint32 inhibit_idle = 8;
    return std::make_unique<gdbus::PropertyWatch>(
        session, owner, "/org/gnome/SessionManager", GnomeSession::bus_name, "InhibitedActions",
        cancel, [held = std::move(held)](GVariant* actions) {
            if (g_variant_is_of_type(actions, G_VARIANT_TYPE_UINT32))
                held((g_variant_get_uint32(actions) & inhibit_idle) != 0);
        });
}

GnomeSession::GnomeSession(const BusContext& bus) : PeerSource(bus, bus.session, bus_name, name) {}

void GnomeSession::attach(const std::string& owner) {
    spdlog::debug("watching gnome-session's idle inhibitors");
    inhibitors_ =
        watch_gnome_idle_inhibitors(bus_.session, owner.c_str(), cancellable(), [this](bool held) {
            bus_.sink.report({name, fact::Inhibited{held}});
        });
}

}  // namespace postured
