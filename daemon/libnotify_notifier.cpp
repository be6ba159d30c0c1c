#include "libnotify_notifier.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>
#include <algorithm>
#include <cstdio>
#include <fstream>

#include "core/break_text.hpp"
#include "core/language.hpp"
#include "core/protocol.hpp"

namespace postured {

namespace {

constexpr const char* app_name = "postured";
constexpr const char* icon_name = "postured";

std::string escape(const std::string& text) {
    gchar* escaped = g_markup_escape_text(text.c_str(), -1);
    std::string out = escaped;
    g_free(escaped);
    return out;
}

NotifyUrgency to_notify(Urgency urgency) {
    switch (urgency) {
        case Urgency::low:
            return NOTIFY_URGENCY_LOW;
        case Urgency::critical:
            return NOTIFY_URGENCY_CRITICAL;
        default:
            return NOTIFY_URGENCY_NORMAL;
    }
}

}  // namespace

std::string snooze_label(std::chrono::seconds length) {
    if (length.count() % 60 == 0 && length < std::chrono::hours{1})
        // TRANSLATORS: a button: "Snooze 5 min".
        return formatted(_("Snooze %d min"), static_cast<int>(length.count() / 60));
    // TRANSLATORS: a button: "Snooze 1h30m".
    return formatted(_("Snooze %s"), protocol::human_duration(length).c_str());
}

std::string notification_body(const ShowBreak& request, bool markup, bool actions) {
    auto text = [markup](const std::string& plain) { return markup ? escape(plain) : plain; };
    const auto& s = request.stretch;
    // The dose first: GNOME Shell's banner shows one line of the body until it is expanded, and
    // six lines after. The caution leads the steps, where no server cuts it; the steps run as a
    // paragraph, in the fewest lines.
    std::string body = markup ? "<b>" + text(dose_line(s)) + "</b>" : dose_line(s);
    body += '\n';
    body += text(safety_text() + " " + steps_paragraph(s));
    if (auto reset = reset_line(s)) body += '\n' + text(*reset);
    if (!actions) {
        body += '\n';
        body += text(request.snooze ? _("Answer in a terminal: posturectl done | snooze | skip")
                                    : _("Answer in a terminal: posturectl done | skip"));
    }
    return body;
}

LibnotifyNotifier::LibnotifyNotifier(GDBusConnection* bus, Notifier& fallback, Answer answer,
                                     std::string remember_at)
    : fallback_(fallback), answer_(std::move(answer)), remember_at_(std::move(remember_at)) {
    if (!remember_at_.empty()) {
        gint id = 0;
        if (std::ifstream(remember_at_) >> id && id > 0) adopted_ = id;
    }
    notify_init(app_name);
    // No auto-start: a server started by D-Bus activation outside the session may have no display.
    watch_ = g_bus_watch_name_on_connection(bus, "org.freedesktop.Notifications",
                                            G_BUS_NAME_WATCHER_FLAGS_NONE, on_server_appeared,
                                            on_server_vanished, this, nullptr);
}

LibnotifyNotifier::~LibnotifyNotifier() {
    g_bus_unwatch_name(watch_);
    forget_notification();
    notify_uninit();
}

void LibnotifyNotifier::on_server_appeared(GDBusConnection*, const gchar*, const gchar* owner,
                                           gpointer self) {
    auto& n = *static_cast<LibnotifyNotifier*>(self);
    n.server_present_ = true;
    n.capabilities_.clear();
    GList* caps = notify_get_server_caps();
    for (GList* c = caps; c; c = c->next)
        n.capabilities_.emplace_back(static_cast<char*>(c->data));
    g_list_free_full(caps, g_free);
    char* name = nullptr;
    notify_get_server_info(&name, nullptr, nullptr, nullptr);
    // dunst and mako list the default action in their menus, xfce4-notifyd draws it as a button.
    constexpr std::string_view lists_default[] = {"dunst", "mako", "Xfce Notify Daemon"};
    n.shows_default_action_ = name && std::find(std::begin(lists_default), std::end(lists_default),
                                                name) != std::end(lists_default);
    spdlog::info(
        "showing breaks through the notification server {} ({}){}", name ? name : "?", owner,
        n.server_can("actions") ? "" : ", which has no buttons: answers come from posturectl");
    g_free(name);
    if (n.current_)
        n.display(*n.current_);
    else
        n.close_adopted_notification();
}

void LibnotifyNotifier::on_server_vanished(GDBusConnection*, const gchar*, gpointer self) {
    auto& n = *static_cast<LibnotifyNotifier*>(self);
    bool was_present = n.server_present_;
    n.server_present_ = false;
    n.forget_notification();  // its id means nothing to the next server
    n.adopted_.reset();
    n.remember(std::nullopt);
    if (was_present || !n.warned_absent_) {
        spdlog::warn(
            "no notification server on the session bus; breaks go to the console until one "
            "appears");
        n.warned_absent_ = true;
    }
    if (was_present && n.current_) n.fallback_.show(*n.current_);
}

void LibnotifyNotifier::show(const ShowBreak& request) {
    current_ = request;
    if (server_present_)
        display(request);
    else
        fallback_.show(request);
}

void LibnotifyNotifier::close() {
    current_.reset();
    if (notification_) notify_notification_close(notification_, nullptr);
    forget_notification();
    close_adopted_ = true;
    if (server_present_) close_adopted_notification();
    remember(std::nullopt);
    fallback_.close();
}

void LibnotifyNotifier::close_adopted_notification() {
    if (adopted_ && close_adopted_) {
        auto* stale = notify_notification_new("", nullptr, nullptr);
        g_object_set(stale, "id", *adopted_, nullptr);
        notify_notification_close(stale, nullptr);
        g_object_unref(stale);
        adopted_.reset();
    }
}

// Written aside and renamed, so that a crash leaves the old id or the new one, never half.
void LibnotifyNotifier::remember(std::optional<gint> id) {
    if (remember_at_.empty()) return;
    if (!id) {
        std::remove(remember_at_.c_str());
        return;
    }
    auto aside = remember_at_ + ".new";
    if (std::ofstream(aside) << *id << "\n") std::rename(aside.c_str(), remember_at_.c_str());
}

bool LibnotifyNotifier::server_can(const char* capability) const {
    return std::find(capabilities_.begin(), capabilities_.end(), capability) != capabilities_.end();
}

void LibnotifyNotifier::display(const ShowBreak& request) {
    bool actions = server_can("actions");
    auto body = notification_body(request, server_can("body-markup"), actions);
    auto summary = shown_name(request.stretch);
    if (notification_) {
        notify_notification_update(notification_, summary.c_str(), body.c_str(), icon_name);
    } else {
        notification_ = notify_notification_new(summary.c_str(), body.c_str(), icon_name);
        g_signal_connect(notification_, "closed", G_CALLBACK(on_closed), this);
        if (adopted_) g_object_set(notification_, "id", *adopted_, nullptr);  // replaces it
        adopted_.reset();
    }
    answered_ = false;
    notify_notification_set_app_name(notification_, app_name);
    notify_notification_set_hint_string(notification_, "desktop-entry", "postured");
    // A name the server loads itself at the size it draws, rather than pixels in every message
    // (image-data); GNOME Shell, dunst, mako and xfce4-notifyd all show it in place of the icon.
    const auto& picture = request.stretch.picture;
    if (!picture.empty() && access(picture.c_str(), R_OK) == 0)
        notify_notification_set_hint_string(notification_, "image-path", picture.c_str());
    else
        notify_notification_set_hint(notification_, "image-path", nullptr);
    notify_notification_set_category(notification_, "x-postured.break");
    notify_notification_set_urgency(notification_, to_notify(style_.urgency));
    notify_notification_set_timeout(notification_, NOTIFY_EXPIRES_NEVER);
    if (style_.sound)
        notify_notification_set_hint_string(notification_, "sound-name", "alarm-clock-elapsed");
    notify_notification_clear_actions(notification_);
    if (actions) {
        // What a click on the notification itself does (dunst's middle click, mako's and GNOME
        // Shell's click); most servers draw no button for it.
        // TRANSLATORS: the buttons of a break: Done, Snooze 5 min, Skip.
        notify_notification_add_action(notification_, "default", _("Done"), on_action, this,
                                       nullptr);
        if (!shows_default_action_)
            notify_notification_add_action(notification_, "done", _("Done"), on_action, this,
                                           nullptr);
        if (request.snooze)
            notify_notification_add_action(notification_, "snooze",
                                           snooze_label(*request.snooze).c_str(), on_action, this,
                                           nullptr);
        notify_notification_add_action(notification_, "skip", _("Skip"), on_action, this, nullptr);
    }
    GError* error = nullptr;
    if (!notify_notification_show(notification_, &error)) {
        spdlog::warn("the notification server refused the break ({}); showing it on the console",
                     error ? error->message : "no reason given");
        g_clear_error(&error);
        fallback_.show(request);
        return;
    }
    gint id = 0;
    g_object_get(notification_, "id", &id, nullptr);
    remember(id);
}

void LibnotifyNotifier::on_action(NotifyNotification*, char* action, gpointer self) {
    auto& n = *static_cast<LibnotifyNotifier*>(self);
    n.answered_ = true;
    std::string_view a = action;
    auto of_break = n.current_ ? std::optional(n.current_->number) : std::nullopt;
    if (a == "done" || a == "default")
        n.answer_(event::Done{of_break});
    else if (a == "snooze")
        n.answer_(event::Snooze{std::nullopt, of_break});
    else if (a == "skip")
        n.answer_(event::Skip{of_break});
}

void LibnotifyNotifier::on_closed(NotifyNotification* notification, gpointer self) {
    auto& n = *static_cast<LibnotifyNotifier*>(self);
    constexpr gint dismissed_by_user = 2;
    if (notification != n.notification_ || n.answered_) return;
    if (notify_notification_get_closed_reason(notification) == dismissed_by_user && n.current_)
        n.answer_(event::Dismissed{n.current_->number});
}

void LibnotifyNotifier::forget_notification() {
    if (!notification_) return;
    g_signal_handlers_disconnect_by_data(notification_, this);
    g_object_unref(notification_);
    notification_ = nullptr;
}

}  // namespace postured
