#include "sources/mako_dnd.hpp"

#include <spdlog/spdlog.h>
#include <string_view>

namespace postured {

namespace {
constexpr std::chrono::seconds ask_every{5};
constexpr std::string_view dnd_mode = "do-not-disturb";
}  // namespace

MakoDnd::MakoDnd(const BusContext& bus)
    : PeerSource(bus, bus.session, "org.freedesktop.Notifications", name) {}

bool MakoDnd::ask_quiet(bool on) {
    if (!on) {
        asking_.reset();
        return true;
    }
    if (!asking_) asking_ = std::make_unique<GlibTimer>(ask_every, [this] { ask(); });
    ask();
    return true;
}

void MakoDnd::attach(const std::string& owner) {
    owner_ = owner;
    not_mako_ = false;
    if (asking_) ask();
}

void MakoDnd::ask() {
    if (owner_.empty() || not_mako_) return tell(false);
    gdbus::call(bus_.session, owner_.c_str(), "/fr/emersion/Mako", "fr.emersion.Mako", "ListModes",
                nullptr, cancellable(), [this](GVariant* reply, const GError* error) {
                    if (!reply) {
                        spdlog::debug("no mako modes: {}", error ? error->message : "no reply");
                        not_mako_ = error && error->domain == G_DBUS_ERROR &&
                                    (error->code == G_DBUS_ERROR_UNKNOWN_METHOD ||
                                     error->code == G_DBUS_ERROR_UNKNOWN_OBJECT ||
                                     error->code == G_DBUS_ERROR_UNKNOWN_INTERFACE);
                        return tell(false);
                    }
                    GVariantIter* modes = nullptr;
                    const char* mode = nullptr;
                    bool on = false;
                    g_variant_get(reply, "(as)", &modes);
                    while (g_variant_iter_next(modes, "&s", &mode))
                        on = on || mode == dnd_mode;
                    g_variant_iter_free(modes);
                    tell(on);
                });
}

void MakoDnd::tell(bool on) {
    bus_.sink.report({name, fact::Quiet{on, do_not_disturb("mako"), true}});
}

}  // namespace postured
