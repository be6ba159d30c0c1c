#include "sources/wayland_idle.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <utility>

#include "clock.hpp"

#include <wayland-client.h>
#include "ext-idle-notify-v1-client.h"
#include "idle-client.h"

namespace postured {

namespace {

void on_global(void* data, wl_registry*, std::uint32_t name, const char* interface, std::uint32_t) {
    auto& offer = *static_cast<WaylandIdle::Offer*>(data);
    if (std::strcmp(interface, wl_seat_interface.name) == 0 && !offer.seat)
        offer.seat = name;
    else if (std::strcmp(interface, ext_idle_notifier_v1_interface.name) == 0)
        offer.ext_idle = name;
    else if (std::strcmp(interface, org_kde_kwin_idle_interface.name) == 0)
        offer.kde_idle = name;
}

void on_global_remove(void*, wl_registry*, std::uint32_t) {}

const wl_registry_listener registry_listener{on_global, on_global_remove};

template <class T>
T* bind(wl_registry* registry, std::uint32_t name, const wl_interface& interface) {
    return static_cast<T*>(wl_registry_bind(registry, name, &interface, 1));
}

}  // namespace

WaylandIdle::WaylandIdle(boost::asio::io_context& io, PresenceSink& sink, std::string display,
                         milliseconds threshold)
    : sink_(sink),
      display_name_(std::move(display)),
      threshold_(threshold),
      connection_(io, *this, "the Wayland display " + display_name_, "input", spdlog::level::warn) {
    connection_.start();
}

WaylandIdle::~WaylandIdle() {
    connection_.stop();
}

int WaylandIdle::open(std::string& why) {
    display_ = wl_display_connect(display_name_.c_str());
    if (!display_) {
        why = std::strerror(errno);
        sink_.use_idle_protocol(
            formatted(_("not connected: cannot reach %s"), display_name_.c_str()));
        return PeerConnection::unreachable;
    }
    // The registry is read without waiting: its end is marked by the answer to a sync.
    registry_ = wl_display_get_registry(display_);
    wl_registry_add_listener(registry_, &registry_listener, &offer_);
    registry_done_ = wl_display_sync(display_);
    static const wl_callback_listener done{[](void* self, wl_callback*, std::uint32_t) {
        static_cast<WaylandIdle*>(self)->start_watching();
    }};
    wl_callback_add_listener(registry_done_, &done, this);
    return wl_display_get_fd(display_);
}

void WaylandIdle::start_watching() {
    wl_callback_destroy(registry_done_);
    registry_done_ = nullptr;
    if (!offer_.seat || (!offer_.ext_idle && !offer_.kde_idle)) {
        spdlog::error(
            "the Wayland compositor on {} offers no idle protocol (neither "
            "ext_idle_notifier_v1 nor org_kde_kwin_idle): idle time is not seen; set [activity] "
            "source to another source",
            display_name_);
        sink_.use_idle_protocol(
            _("not watched: the compositor offers neither ext_idle_notifier_v1 nor "
              "org_kde_kwin_idle"));
        return;
    }
    auto timeout = static_cast<std::uint32_t>(std::clamp<milliseconds::rep>(
        threshold_.count(), 1, std::numeric_limits<std::uint32_t>::max()));
    seat_ = bind<wl_seat>(registry_, offer_.seat, wl_seat_interface);
    std::string protocol;
    if (offer_.ext_idle) {
        ext_notifier_ =
            bind<ext_idle_notifier_v1>(registry_, offer_.ext_idle, ext_idle_notifier_v1_interface);
        ext_notification_ =
            ext_idle_notifier_v1_get_idle_notification(ext_notifier_, timeout, seat_);
        static const ext_idle_notification_v1_listener listener{
            [](void* self, ext_idle_notification_v1*) { static_cast<WaylandIdle*>(self)->idled(); },
            [](void* self, ext_idle_notification_v1*) {
                static_cast<WaylandIdle*>(self)->resumed();
            }};
        ext_idle_notification_v1_add_listener(ext_notification_, &listener, this);
        protocol = ext_idle_notifier_v1_interface.name;
    } else {
        kde_idle_ =
            bind<org_kde_kwin_idle>(registry_, offer_.kde_idle, org_kde_kwin_idle_interface);
        kde_timeout_ = org_kde_kwin_idle_get_idle_timeout(kde_idle_, seat_, timeout);
        static const org_kde_kwin_idle_timeout_listener listener{
            [](void* self, org_kde_kwin_idle_timeout*) {
                static_cast<WaylandIdle*>(self)->idled();
            },
            [](void* self, org_kde_kwin_idle_timeout*) {
                static_cast<WaylandIdle*>(self)->resumed();
            }};
        org_kde_kwin_idle_timeout_add_listener(kde_timeout_, &listener, this);
        protocol = org_kde_kwin_idle_interface.name;
    }
    requested_at_ = boot_clock_now();
    spdlog::debug("Wayland idle through {}", protocol);
    connection_.ready();
    sink_.use_idle_protocol(protocol);
    sink_.report({name, fact::Active{requested_at_}});
}

void WaylandIdle::idled() {
    sink_.report({name, fact::Idle{std::max(boot_clock_now() - threshold_, requested_at_)}});
}

void WaylandIdle::resumed() {
    sink_.report({name, fact::Active{boot_clock_now()}});
}

bool WaylandIdle::watch_for_pause(bool on) {
    stop_watching_for_pause();
    if (!on || !seat_) {
        if (display_) wl_display_flush(display_);
        return false;
    }
    auto length = static_cast<std::uint32_t>(duration_cast<milliseconds>(pause_length).count());
    auto paused = [](void* self, auto*) {
        auto& source = *static_cast<WaylandIdle*>(self);
        source.stop_watching_for_pause();
        source.sink_.report({name, fact::InputPaused{}});
    };
    auto ignore = [](void*, auto*) {};
    if (ext_notifier_) {
        ext_pause_ = ext_idle_notifier_v1_get_idle_notification(ext_notifier_, length, seat_);
        static const ext_idle_notification_v1_listener listener{paused, ignore};
        ext_idle_notification_v1_add_listener(ext_pause_, &listener, this);
    } else if (kde_idle_) {
        kde_pause_ = org_kde_kwin_idle_get_idle_timeout(kde_idle_, seat_, length);
        static const org_kde_kwin_idle_timeout_listener listener{paused, ignore};
        org_kde_kwin_idle_timeout_add_listener(kde_pause_, &listener, this);
    } else {
        return false;
    }
    wl_display_flush(display_);
    return true;
}

void WaylandIdle::stop_watching_for_pause() {
    if (ext_pause_) ext_idle_notification_v1_destroy(ext_pause_);
    if (kde_pause_) org_kde_kwin_idle_timeout_release(kde_pause_);
    ext_pause_ = nullptr;
    kde_pause_ = nullptr;
}

bool WaylandIdle::read() {
    if (std::exchange(reading_, false) && wl_display_read_events(display_) < 0) return false;
    if (wl_display_dispatch_pending(display_) < 0) return false;
    while (wl_display_prepare_read(display_) != 0)
        if (wl_display_dispatch_pending(display_) < 0) return false;
    reading_ = true;
    return wl_display_flush(display_) >= 0 || errno == EAGAIN;
}

void WaylandIdle::lost() {
    sink_.report({name, fact::Gone{}});
    sink_.use_idle_protocol(
        formatted(_("not connected: lost %s, looking for it again"), display_name_.c_str()));
}

void WaylandIdle::close() {
    if (!display_) return;
    if (reading_) wl_display_cancel_read(display_);
    reading_ = false;
    stop_watching_for_pause();
    if (ext_notification_) ext_idle_notification_v1_destroy(ext_notification_);
    if (ext_notifier_) ext_idle_notifier_v1_destroy(ext_notifier_);
    if (kde_timeout_) org_kde_kwin_idle_timeout_release(kde_timeout_);
    if (kde_idle_) org_kde_kwin_idle_destroy(kde_idle_);
    if (seat_) wl_seat_destroy(seat_);
    if (registry_done_) wl_callback_destroy(registry_done_);
    if (registry_) wl_registry_destroy(registry_);
    wl_display_flush(display_);
    wl_display_disconnect(display_);
    display_ = nullptr;
    registry_ = nullptr;
    registry_done_ = nullptr;
    seat_ = nullptr;
    ext_notifier_ = nullptr;
    ext_notification_ = nullptr;
    kde_idle_ = nullptr;
    kde_timeout_ = nullptr;
    offer_ = {};
}

}  // namespace postured
