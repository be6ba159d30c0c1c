#pragma once

#include <boost/asio/io_context.hpp>
#include <string>

#include "sources/peer_connection.hpp"
#include "sources/source.hpp"

struct wl_display;
struct wl_registry;
struct wl_seat;
struct wl_callback;
struct ext_idle_notifier_v1;
struct ext_idle_notification_v1;
struct org_kde_kwin_idle;
struct org_kde_kwin_idle_timeout;

namespace postured {

// Input idleness from a Wayland compositor: one idle notification of `threshold` through
// ext-idle-notify-v1 where the compositor offers it (KDE Plasma, newer wlroots), else KDE's
// org_kde_kwin_idle (sway 1.7, wayfire). The connection is a PeerConnection: nothing waits on the
// compositor, and one that goes away is looked for again.
//
// The compositor's timer counts from the request, not from the last input, so no idle time from
// before the request is claimed. A Wayland idle inhibitor (a video playing) holds the idle event
// back: that time counts as work whatever inhibited_counts_as_work says, since
// ext-idle-notify-v1 has no way to ask past it.
class WaylandIdle : public Source, public PauseWatcher, PeerConnection::Peer {
  public:
    // `display` is a WAYLAND_DISPLAY: a socket name in XDG_RUNTIME_DIR or an absolute path.
    // The sink hears what is watched with, or why nothing is, for `posturectl status`.
    WaylandIdle(boost::asio::io_context& io, PresenceSink& sink, std::string display,
                milliseconds threshold);
    ~WaylandIdle() override;

    // A second idle notification of pause_length, which also counts from the request: a user
    // idle already is told of once the pause is that long.
    bool watch_for_pause(bool on) override;

    static constexpr const char* name = "wayland";

    // The interfaces the compositor advertised; filled in while the registry is read.
    struct Offer {
        std::uint32_t seat = 0, ext_idle = 0, kde_idle = 0;  // global names; 0 = not offered
    };

  private:
    int open(std::string& why) override;
    bool read() override;
    void close() override;
    void lost() override;
    void start_watching();
    void idled();
    void resumed();
    void stop_watching_for_pause();

    PresenceSink& sink_;
    std::string display_name_;
    milliseconds threshold_;

    wl_display* display_ = nullptr;
    wl_registry* registry_ = nullptr;
    wl_callback* registry_done_ = nullptr;
    Offer offer_;
    wl_seat* seat_ = nullptr;
    ext_idle_notifier_v1* ext_notifier_ = nullptr;
    ext_idle_notification_v1* ext_notification_ = nullptr;
    org_kde_kwin_idle* kde_idle_ = nullptr;
    org_kde_kwin_idle_timeout* kde_timeout_ = nullptr;
    ext_idle_notification_v1* ext_pause_ = nullptr;  // while a break waits for a pause
    org_kde_kwin_idle_timeout* kde_pause_ = nullptr;
    MonoTime requested_at_{};
    bool reading_ = false;

    PeerConnection connection_;
};

}  // namespace postured
