#include "sources/notification_dnd.hpp"

#include <spdlog/spdlog.h>

namespace postured {

namespace {

struct Server {
    const char* interface;
    const char* property;
    const char* desktop;
};
constexpr Server servers[] = {
    {"org.dunstproject.cmd0", "paused", "dunst"},
    {"org.freedesktop.Notifications", "Inhibited", "KDE Plasma"},
};

}  // namespace

NotificationDnd::NotificationDnd(const BusContext& bus)
    : PeerSource(bus, bus.session, "org.freedesktop.Notifications", name) {}

void NotificationDnd::attach(const std::string& owner) {
    for (auto& server : servers)
        watches_.push_back(std::make_unique<gdbus::PropertyWatch>(
            bus_.session, owner.c_str(), "/org/freedesktop/Notifications", server.interface,
            server.property, cancellable(), [this, &server](GVariant* value) {
                if (!g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN)) return;
                bool on = g_variant_get_boolean(value);
                spdlog::debug("do-not-disturb ({}): {}", server.desktop, on ? "on" : "off");
                bus_.sink.report({name, fact::Quiet{on, do_not_disturb(server.desktop)}});
            }));
}

}  // namespace postured
