#include "sources/sources.hpp"

#include <spdlog/spdlog.h>

#include "sources/camera_devices.hpp"
#include "sources/gnome_dnd.hpp"
#include "sources/gnome_idle.hpp"
#include "sources/gnome_session.hpp"
#include "sources/logind.hpp"
#include "sources/logind_idle.hpp"
#include "sources/mako_dnd.hpp"
#include "sources/notification_dnd.hpp"
#include "sources/pipewire_calls.hpp"
#include "sources/powerdevil.hpp"
#include "sources/screen_saver.hpp"
#include "sources/sway_fullscreen.hpp"
#include "sources/wayland_idle.hpp"
#include "sources/x11_fullscreen.hpp"
#include "sources/x11_idle.hpp"
#include "sources/xfce_dnd.hpp"

namespace postured {

namespace {

// The sources that watch the bus whatever the session, when their peer is there: one line each.
using MakeWatcher = std::unique_ptr<Source> (*)(const BusContext& bus);
template <typename Watcher>
std::unique_ptr<Source> make(const BusContext& bus) {
    return std::make_unique<Watcher>(bus);
}
constexpr MakeWatcher bus_watchers[] = {
    make<Logind>,
    [](const BusContext& bus) -> std::unique_ptr<Source> {
        return std::make_unique<ScreenSaver>(bus, ScreenSaver::gnome);
    },
    [](const BusContext& bus) -> std::unique_ptr<Source> {
        return std::make_unique<ScreenSaver>(bus, ScreenSaver::freedesktop);
    },
    [](const BusContext& bus) -> std::unique_ptr<Source> {
        return std::make_unique<ScreenSaver>(bus, ScreenSaver::mate);
    },
    make<GnomeSession>,
    make<PowerDevil>,
    make<NotificationDnd>,
    make<XfceDnd>,
    make<GnomeDnd>,
    make<MakoDnd>,
};

// The sources that watch for calls, made anew when [calls] changes: one line each.
struct CallSource {
    const char* name;
    std::unique_ptr<Source> (*make)(boost::asio::io_context& io, PresenceSink& sink,
                                    const Config::Calls& calls);
};
template <typename Watcher>
constexpr CallSource call_source() {
    return {Watcher::name,
            [](boost::asio::io_context& io, PresenceSink& sink, const Config::Calls& calls)
                -> std::unique_ptr<Source> { return std::make_unique<Watcher>(io, sink, calls); }};
}
constexpr CallSource call_sources[] = {
    call_source<PipewireCalls>(),
    call_source<CameraDevices>(),
};

// What an idle source is made with.
struct Making {
    boost::asio::io_context& io;
    PresenceSink& sink;
    SessionBus* bus;  // null without a session bus
    const Sources::Running& wanted;
};

// The idle sources core/source_choice picks from: one line each, with the name it reports as.
struct IdleSource {
    ActivitySource source;
    const char* name;
    bool on_the_bus;
    std::unique_ptr<Source> (*make)(const Making& m);
};
constexpr IdleSource idle_sources[] = {
    {ActivitySource::x11, X11Idle::name, false,
     [](const Making& m) -> std::unique_ptr<Source> {
         return std::make_unique<X11Idle>(m.io, m.sink, m.wanted.display, m.wanted.threshold);
     }},
    {ActivitySource::wayland, WaylandIdle::name, false,
     [](const Making& m) -> std::unique_ptr<Source> {
         return std::make_unique<WaylandIdle>(m.io, m.sink, m.wanted.wayland_display,
                                              m.wanted.threshold);
     }},
    {ActivitySource::gnome, GnomeIdle::name, true,
     [](const Making& m) -> std::unique_ptr<Source> {
         return std::make_unique<GnomeIdle>(m.bus->context(m.sink), m.wanted.threshold,
                                            !m.wanted.inhibited_counts_as_work);
     }},
    {ActivitySource::logind, LogindIdle::name, true,
     [](const Making& m) -> std::unique_ptr<Source> {
         return std::make_unique<LogindIdle>(m.bus->context(m.sink));
     }},
};

const IdleSource* idle_source(ActivitySource source) {
    for (auto& idle : idle_sources)
        if (idle.source == source) return &idle;
    return nullptr;
}

}  // namespace

Sources::Sources(boost::asio::io_context& io, SessionBus* bus, PresenceSink& sink)
    : io_(io), bus_(bus), sink_(sink) {
    if (!bus_) return;
    for (auto make_watcher : bus_watchers)
        watchers_.push_back(make_watcher(bus_->context(sink_)));
}

bool Sources::watch_for_pause(bool on) {
    auto* watcher = dynamic_cast<PauseWatcher*>(idle_.get());
    return watcher && watcher->watch_for_pause(on);
}

bool Sources::ask_quiet(bool on) {
    bool asking = false;
    for (auto& source : watchers_)
        if (auto* asker = dynamic_cast<QuietAsker*>(source.get()))
            asking = asker->ask_quiet(on) || asking;
    return asking;
}

void Sources::use(const Config& config) {
    watch_calls(config.calls);
    activity_ = config.activity;
    if (!bus_) return pick(session_from_environment());
    bus_->read_session([this](const SessionFacts& session) { pick(session); });
}

void Sources::pick(const SessionFacts& session) {
    watch_fullscreen(choose_focus_watch(session));
    Running wanted{choose_idle_source(activity_.source, session), session.display,
                   session.wayland_display, activity_.idle_after,
                   activity_.inhibited_counts_as_work};
    auto* idle = idle_source(wanted.choice.source);
    if (!bus_ && idle && idle->on_the_bus) {
        wanted.choice = {ActivitySource::none, said(N_("no session bus to reach it on"))};
        idle = nullptr;
    }
    if (running_ == wanted) return;

    if (idle_) {
        idle_.reset();
        sink_.report({idle_source(running_->choice.source)->name, fact::Gone{}});
    }
    running_ = wanted;
    if (wanted.choice.source == ActivitySource::none)
        spdlog::warn("no idle source ({}): all time in working hours counts as work",
                     wanted.choice.note.english);
    else
        spdlog::info("idle source: {} ({})", to_string(wanted.choice.source),
                     wanted.choice.note.english);
    sink_.use_idle_source(wanted.choice);
    if (idle) idle_ = idle->make({io_, sink_, bus_, *running_});
}

void Sources::watch_calls(const Config::Calls& calls) {
    if (calls_config_ == calls) return;
    calls_config_ = calls;
    for (auto& [name, source] : calls_) {
        source.reset();
        sink_.report({name, fact::Gone{}});
    }
    calls_.clear();
    if (!calls.enabled) return;
    for (auto& source : call_sources)
        calls_.emplace_back(source.name, source.make(io_, sink_, calls));
}

void Sources::watch_fullscreen(const FocusWatch& wanted) {
    if (wanted == fullscreen_via_) return;
    if (fullscreen_) {
        fullscreen_.reset();
        sink_.report({fullscreen_via_.via == FocusWatch::Via::x11 ? X11Fullscreen::name
                                                                  : SwayFullscreen::name,
                      fact::Gone{}});
    }
    fullscreen_via_ = wanted;
    if (wanted.via == FocusWatch::Via::x11)
        fullscreen_ = std::make_unique<X11Fullscreen>(io_, sink_, wanted.address);
    else if (wanted.via == FocusWatch::Via::sway)
        fullscreen_ = std::make_unique<SwayFullscreen>(io_, sink_, wanted.address);
}

}  // namespace postured
