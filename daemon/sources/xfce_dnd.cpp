#include "sources/xfce_dnd.hpp"

#include <spdlog/spdlog.h>

namespace postured {

namespace {
constexpr const char* bus_name = "org.xfce.Xfconf";
constexpr const char* channel = "xfce4-notifyd";
constexpr const char* property = "/do-not-disturb";
}  // namespace

XfceDnd::XfceDnd(const BusContext& bus) : PeerSource(bus, bus.session, bus_name, name) {}

void XfceDnd::attach(const std::string& owner) {
    changes_ = std::make_unique<gdbus::Subscription>(
        bus_.session, owner.c_str(), bus_name, nullptr, "/org/xfce/Xfconf", channel,
        [this](const char* member, GVariant* parameters) {
            const char* changed = nullptr;
            g_variant_get_child(parameters, 1, "&s", &changed);
            if (std::string_view(changed) != property) return;
            if (std::string_view(member) == "PropertyRemoved") return tell(nullptr);
            if (std::string_view(member) != "PropertyChanged") return;
            GVariant* value = nullptr;
            g_variant_get_child(parameters, 2, "v", &value);
            tell(value);
            g_variant_unref(value);
        });
    gdbus::call(bus_.session, owner.c_str(), "/org/xfce/Xfconf", bus_name, "GetProperty",
                g_variant_new("(ss)", channel, property), cancellable(),
                [this](GVariant* reply, const GError*) {
                    if (!reply) return tell(nullptr);  // unset
                    GVariant* value = nullptr;
                    g_variant_get(reply, "(v)", &value);
                    tell(value);
                    g_variant_unref(value);
                });
}

void XfceDnd::tell(GVariant* value) {
    bool on = value && g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN) &&
              g_variant_get_boolean(value);
    spdlog::debug("Xfce's do-not-disturb: {}", on ? "on" : "off");
    bus_.sink.report({name, fact::Quiet{on, do_not_disturb("Xfce")}});
}

}  // namespace postured
