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

GnomeSession::GnomeSession(const BusContext& bus) : bus_(bus) {
    watch_.emplace(
        bus_.session, bus_name,
        [this](const std::string& owner) {
            spdlog::debug("watching gnome-session's idle inhibitors");
            cancel_ = std::make_unique<gdbus::Cancellable>();
            inhibitors_ = watch_gnome_idle_inhibitors(
                bus_.session, owner.c_str(), *cancel_, [this](bool held) {
                    bus_.sink.report({name, fact::Inhibited{held}});
                });
        },
        [this] {
            if (!inhibitors_) return;
            inhibitors_.reset();
            cancel_.reset();
            bus_.sink.report({name, fact::Gone{}});
        });
}

GnomeSession::~GnomeSession() = default;

}  // namespace postured
