#include "sources/powerdevil.hpp"

#include <spdlog/spdlog.h>

namespace postured {

namespace {
constexpr const char* path = "/org/kde/Solid/PowerManagement/PolicyAgent";
constexpr guint32 change_screen_settings = 4;  // PolicyAgent::ChangeScreenSettings
}  // namespace

PowerDevil::PowerDevil(const BusContext& bus) : PeerSource(bus, bus.session, bus_name, name) {}

void PowerDevil::attach(const std::string& owner) {
    spdlog::debug("watching PowerDevil's idle inhibitors");
    changes_ = std::make_unique<gdbus::Subscription>(
        bus_.session, owner.c_str(), bus_name, "InhibitionsChanged", path, nullptr,
        [this, owner](const char*, GVariant*) { ask(owner); });
    ask(owner);
}

// The signal tells which inhibitions came and went, not which policies they hold: ask.
void PowerDevil::ask(const std::string& owner) {
    gdbus::call(bus_.session, owner.c_str(), path, bus_name, "HasInhibition",
                g_variant_new("(u)", change_screen_settings), cancellable(),
                [this](GVariant* reply, const GError* error) {
                    if (!reply) return spdlog::debug("PowerDevil: {}", error->message);
                    gboolean held = FALSE;
                    g_variant_get(reply, "(b)", &held);
                    bus_.sink.report({name, fact::Inhibited{held != FALSE}});
                });
}

}  // namespace postured
