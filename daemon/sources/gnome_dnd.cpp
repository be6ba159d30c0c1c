#include "sources/gnome_dnd.hpp"

#include <spdlog/spdlog.h>

namespace postured {

namespace {
constexpr const char* schema_id = "org.gnome.desktop.notifications";
constexpr const char* key = "show-banners";
}  // namespace

GnomeDnd::GnomeDnd(const BusContext& bus) : PeerSource(bus, bus.session, "org.gnome.Shell", name) {}

void GnomeDnd::attach(const std::string&) {
    // GSettings aborts the process on a schema that is not installed: look before asking.
    auto* source = g_settings_schema_source_get_default();
    auto* schema = source ? g_settings_schema_source_lookup(source, schema_id, TRUE) : nullptr;
    bool usable = schema && g_settings_schema_has_key(schema, key);
    if (schema) g_settings_schema_unref(schema);
    if (!usable) {
        spdlog::warn(
            "GNOME Shell is running, but the setting {} {} is not installed "
            "(gsettings-desktop-schemas): its do-not-disturb is not seen",
            schema_id, key);
        return;
    }
    settings_ = g_settings_new(schema_id);
    g_signal_connect_swapped(settings_, "changed::show-banners",
                             G_CALLBACK(+[](GnomeDnd* self) { self->tell(); }), this);
    tell();
}

void GnomeDnd::detach() {
    if (!settings_) return;
    g_signal_handlers_disconnect_by_data(settings_, this);
    g_clear_object(&settings_);
}

void GnomeDnd::tell() {
    bool on = !g_settings_get_boolean(settings_, key);
    spdlog::debug("GNOME's do-not-disturb: {}", on ? "on" : "off");
    bus_.sink.report({name, fact::Quiet{on, do_not_disturb("GNOME")}});
}

}  // namespace postured
