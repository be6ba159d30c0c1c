#include "sources/gnome_session.hpp"

#include <spdlog/spdlog.h>

namespace postured {

namespace {

constexpr const char* bus_name = "org.gnome.SessionManager";
constexpr const char* path = "/org/gnome/SessionManager";
constexpr guint32 inhibit_idle = 8;

}  // namespace

GnomeSession::GnomeSession(const BusContext& bus) : bus_(bus) {
    watch_.emplace(
        bus_.session, bus_name, [this](const std::string& owner) { attach(owner); },
        [this] {
            if (!changes_) return;
            changes_.reset();
            cancel_.reset();
            bus_.sink.report({name, fact::Gone{}});
        });
}

GnomeSession::~GnomeSession() = default;

void GnomeSession::attach(const std::string& owner) {
    spdlog::debug("watching gnome-session's idle inhibitors");
    cancel_ = std::make_unique<gdbus::Cancellable>();
    changes_ = std::make_unique<gdbus::Subscription>(
        bus_.session, owner.c_str(), "org.freedesktop.DBus.Properties", "PropertiesChanged", path,
        bus_name, [this](const char*, GVariant* parameters) {
            GVariant* changed = g_variant_get_child_value(parameters, 1);
            if (GVariant* value =
                    g_variant_lookup_value(changed, "InhibitedActions", G_VARIANT_TYPE_UINT32)) {
                inhibited_actions(value);
                g_variant_unref(value);
            }
            g_variant_unref(changed);
        });
    gdbus::get_property(bus_.session, owner.c_str(), path, bus_name, "InhibitedActions", *cancel_,
                        [this](GVariant* value, const GError*) {
                            if (value) inhibited_actions(value);
                        });
}

void GnomeSession::inhibited_actions(GVariant* value) {
    bus_.sink.report({name, fact::Inhibited{(g_variant_get_uint32(value) & inhibit_idle) != 0}});
}

}  // namespace postured
