#include "sources/sources.hpp"

#include <spdlog/spdlog.h>

#include "sources/gnome_dnd.hpp"
#include "sources/gnome_idle.hpp"
#include "sources/gnome_session.hpp"
#include "sources/logind.hpp"
#include "sources/logind_idle.hpp"
#include "sources/mako_dnd.hpp"
#include "sources/notification_dnd.hpp"
#include "sources/powerdevil.hpp"
#include "sources/screen_saver.hpp"
#include "sources/sway_fullscreen.hpp"
#include "sources/wayland_idle.hpp"
#include "sources/x11_fullscreen.hpp"
#include "sources/x11_idle.hpp"
#include "sources/xfce_dnd.hpp"

namespace postured {

Sources::Sources(boost::asio::io_context& io, DesktopBus* bus, Service& service)
    : io_(io), bus_(bus), service_(service) {
    if (!bus_) return;
    watchers_.push_back(
        bus_->make_source([](auto& context) { return std::make_unique<Logind>(context); }));
    for (auto* peer : {&ScreenSaver::gnome, &ScreenSaver::freedesktop, &ScreenSaver::mate})
        watchers_.push_back(bus_->make_source(
            [peer](auto& context) { return std::make_unique<ScreenSaver>(context, *peer); }));
    watchers_.push_back(
        bus_->make_source([](auto& context) { return std::make_unique<GnomeSession>(context); }));
    watchers_.push_back(
        bus_->make_source([](auto& context) { return std::make_unique<PowerDevil>(context); }));
    watchers_.push_back(bus_->make_source(
        [](auto& context) { return std::make_unique<NotificationDnd>(context); }));
    watchers_.push_back(
        bus_->make_source([](auto& context) { return std::make_unique<XfceDnd>(context); }));
    watchers_.push_back(
        bus_->make_source([](auto& context) { return std::make_unique<GnomeDnd>(context); }));
    mako_ = bus_->make_source([](auto& context) { return std::make_unique<MakoDnd>(context); });
}

void Sources::use(const Config::Activity& activity) {
    activity_ = activity;
    if (!bus_) return pick(session_from_environment());
    bus_->read_session([this](const SessionFacts& session) { pick(session); });
}

void Sources::pick(const SessionFacts& session) {
    watch_fullscreen(choose_focus_watch(session));
    Running wanted{choose_idle_source(activity_.source, session), session.display,
                   session.wayland_display, activity_.idle_after,
                   activity_.inhibited_counts_as_work};
    if (!bus_ && (wanted.choice.source == ActivitySource::gnome ||
                  wanted.choice.source == ActivitySource::logind))
        wanted.choice = {ActivitySource::none, "no session bus to reach it on"};
    if (running_ == wanted) return;

    if (idle_) {
        idle_.reset();
        service_.report({reported_name(running_->choice.source), fact::Gone{}});
    }
    running_ = wanted;
    if (wanted.choice.source == ActivitySource::none)
        spdlog::warn("no idle source ({}): all time in working hours counts as work",
                     wanted.choice.note);
    else
        spdlog::info("idle source: {} ({})", to_string(wanted.choice.source), wanted.choice.note);
    service_.set_idle_source(wanted.choice);
    idle_ = make_idle_source(wanted);
}

void Sources::watch_fullscreen(const FocusWatch& wanted) {
    if (wanted == fullscreen_via_) return;
    if (fullscreen_) {
        fullscreen_.reset();
        service_.report({fullscreen_via_.via == FocusWatch::Via::x11 ? X11Fullscreen::name
                                                                     : SwayFullscreen::name,
                         fact::Gone{}});
    }
    fullscreen_via_ = wanted;
    if (wanted.via == FocusWatch::Via::x11)
        fullscreen_ = std::make_unique<X11Fullscreen>(io_, service_, wanted.address);
    else if (wanted.via == FocusWatch::Via::sway)
        fullscreen_ = std::make_unique<SwayFullscreen>(io_, service_, wanted.address);
}

std::unique_ptr<Source> Sources::make_idle_source(const Running& wanted) {
    auto threshold = wanted.threshold;
    bool watch_under_inhibitors = !wanted.inhibited_counts_as_work;
    switch (wanted.choice.source) {
        case ActivitySource::x11:
            return std::make_unique<X11Idle>(io_, service_, wanted.display, threshold);
        case ActivitySource::wayland:
            return std::make_unique<WaylandIdle>(
                io_, service_, wanted.wayland_display, threshold,
                [this](std::string protocol) { service_.set_idle_protocol(std::move(protocol)); });
        case ActivitySource::gnome:
            return bus_->make_source([=](auto& context) {
                return std::make_unique<GnomeIdle>(context, threshold, watch_under_inhibitors);
            });
        case ActivitySource::logind:
            return bus_->make_source(
                [](auto& context) { return std::make_unique<LogindIdle>(context); });
        default:
            return nullptr;
    }
}

const char* Sources::reported_name(ActivitySource source) {
    switch (source) {
        case ActivitySource::x11:
            return X11Idle::name;
        case ActivitySource::gnome:
            return GnomeIdle::name;
        case ActivitySource::logind:
            return LogindIdle::name;
        case ActivitySource::wayland:
            return WaylandIdle::name;
        default:
            return "none";
    }
}

}  // namespace postured
