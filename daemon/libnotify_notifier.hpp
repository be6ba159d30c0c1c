#pragma once

#include <gio/gio.h>
#include <libnotify/notify.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "notifier.hpp"

namespace postured {

// Shows breaks as desktop notifications with Done / Snooze / Skip, through libnotify, while a
// notification server owns its name on the session bus, and through `fallback` while none does.
// A break that is out when the server (re)appears is shown again. One break is one notification
// across restarts too: its id is kept in `remember_at`, and the next run replaces that
// notification with its first break, or closes it. Needs a GLib main loop running the
// thread-default context of the thread it is made and used on.
class LibnotifyNotifier : public Notifier {
  public:
    using Answer = std::function<void(const Event&)>;

    LibnotifyNotifier(GDBusConnection* bus, Notifier& fallback, Answer answer,
                      std::string remember_at = {});
    ~LibnotifyNotifier() override;

    void configure(const Config::Notify& style) override { style_ = style; }
    void show(const ShowBreak& request) override;
    void close() override;

  private:
    static void on_server_appeared(GDBusConnection*, const gchar* name, const gchar* owner,
                                   gpointer self);
    static void on_server_vanished(GDBusConnection*, const gchar* name, gpointer self);
    static void on_action(NotifyNotification* notification, char* action, gpointer self);
    static void on_closed(NotifyNotification* notification, gpointer self);

    void display(const ShowBreak& request);
    void forget_notification();
    void remember(std::optional<gint> id);
    void close_adopted_notification();
    bool server_can(const char* capability) const;

    Notifier& fallback_;
    Answer answer_;
    Config::Notify style_;
    guint watch_ = 0;
    bool server_present_ = false;
    bool warned_absent_ = false;
    std::vector<std::string> capabilities_;
    bool shows_default_action_ = false;  // so a Done of its own would show twice
    std::optional<ShowBreak> current_;
    NotifyNotification* notification_ = nullptr;
    bool answered_ = false;
    std::string remember_at_;
    std::optional<gint> adopted_;  // shown by an earlier run, not taken over yet
    bool close_adopted_ = false;   // no break is out to take it over
};

// The body of a break: steps, hold and repetitions; escaped for servers that read markup, and
// ending with how to answer from a terminal for servers without actions.
std::string notification_body(const ShowBreak& request, bool markup, bool actions);
// "Snooze 10 min"
std::string snooze_label(std::chrono::seconds length);

}  // namespace postured
