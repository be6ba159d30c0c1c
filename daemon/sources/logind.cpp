#include "sources/logind.hpp"

#include <gio/gunixfdlist.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "clock.hpp"
#include "core/source_choice.hpp"

namespace postured {

namespace {

constexpr const char* bus_name = "org.freedesktop.login1";
constexpr const char* manager_path = "/org/freedesktop/login1";
constexpr const char* manager_interface = "org.freedesktop.login1.Manager";
constexpr const char* session_interface = "org.freedesktop.login1.Session";

std::string object_path(GVariant* reply) {
    const char* path = nullptr;
    g_variant_get(reply, "(&o)", &path);
    return path;
}

}  // namespace

void find_logind_session(GDBusConnection* system, GCancellable* cancel,
                         std::function<void(const std::string&)> found) {
    auto by_id = [system, cancel, found](const std::string& id, std::function<void()> otherwise) {
        gdbus::call(system, bus_name, manager_path, manager_interface, "GetSession",
                    g_variant_new("(s)", id.c_str()), cancel,
                    [found, otherwise](GVariant* reply, const GError*) {
                        if (reply) return found(object_path(reply));
                        otherwise();
                    });
    };
    auto automatic = [by_id, found] { by_id("auto", [found] { found(""); }); };
    auto graphical = [system, cancel, found, automatic] {
        gdbus::call(system, bus_name, manager_path, manager_interface, "GetUser",
                    g_variant_new("(u)", getuid()), cancel,
                    [system, cancel, found, automatic](GVariant* user, const GError*) {
                        if (!user) return automatic();
                        gdbus::get_property(system, bus_name, object_path(user).c_str(),
                                            "org.freedesktop.login1.User", "Display", cancel,
                                            [found, automatic](GVariant* display, const GError*) {
                                                const char* path = nullptr;
                                                if (display)
                                                    g_variant_get(display, "(&s&o)", nullptr,
                                                                  &path);
                                                if (path && std::string_view(path) != "/")
                                                    return found(path);
                                                automatic();
                                            });
                    });
    };
    const char* id = std::getenv("XDG_SESSION_ID");
    if (id && *id)
        by_id(id, graphical);
    else
        graphical();
}

struct Logind::Attached {
    std::string owner;
    gdbus::Cancellable cancel;
    std::vector<std::unique_ptr<gdbus::Subscription>> subscriptions;
    std::vector<std::unique_ptr<gdbus::PropertyWatch>> properties;
    std::shared_ptr<SleepDelay> sleep_delay = std::make_shared<SleepDelay>();
};

void Logind::SleepDelay::release() {
    int held = fd.exchange(-1);
    if (held >= 0) close(held);
}

Logind::Logind(const BusContext& bus) : bus_(bus) {
    if (!bus_.system) return;
    watch_.emplace(
        bus_.system, bus_name, [this](const std::string& owner) { attach(owner); },
        [this] {
            if (!attached_) return;
            spdlog::warn(
                "logind left the system bus: sleep and locks are seen only through the "
                "clock and the screen lockers until it is back");
            attached_.reset();
            bus_.sink.report({name, fact::Gone{}});
        });
}

Logind::~Logind() = default;

void Logind::attach(const std::string& owner) {
    attached_ = std::make_unique<Attached>();
    attached_->owner = owner;
    auto subscribe = [this](const char* interface, const char* member, const char* path,
                            const char* arg0, gdbus::Subscription::Handler handler) {
        attached_->subscriptions.push_back(
            std::make_unique<gdbus::Subscription>(bus_.system, attached_->owner.c_str(), interface,
                                                  member, path, arg0, std::move(handler)));
    };
    subscribe(manager_interface, "PrepareForSleep", manager_path, nullptr,
              [this](const char*, GVariant* parameters) {
                  gboolean going = FALSE;
                  g_variant_get(parameters, "(b)", &going);
                  prepare_for_sleep(going);
              });
    // What holds "block" inhibitors, e.g. "sleep:idle": `systemd-inhibit --what=idle` and players.
    attached_->properties.push_back(std::make_unique<gdbus::PropertyWatch>(
        bus_.system, owner.c_str(), manager_path, manager_interface, "BlockInhibited",
        attached_->cancel, [this](GVariant* value) {
            if (!g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)) return;
            bool idle = has_entry(g_variant_get_string(value, nullptr), "idle");
            bus_.sink.report({name, fact::Inhibited{idle}});
        }));
    take_sleep_delay();
    find_logind_session(bus_.system, attached_->cancel,
                        [this](const std::string& path) { watch_session(path); });
}

void Logind::watch_session(const std::string& path) {
    if (path.empty()) {
        spdlog::warn(
            "logind knows no session of this user: locks are seen only through the "
            "screen lockers");
        return;
    }
    spdlog::info("watching sleep, locks and inhibitors through logind ({})", path);
    auto locked = [this](bool is_locked, bool until_input) {
        auto now = boot_clock_now();
        if (is_locked)
            bus_.sink.report({name, fact::Locked{now, until_input}});
        else
            bus_.sink.report({name, fact::Unlocked{now}});
    };
    attached_->subscriptions.push_back(std::make_unique<gdbus::Subscription>(
        bus_.system, attached_->owner.c_str(), session_interface, nullptr, path.c_str(), nullptr,
        [locked](const char* member, GVariant*) {
            std::string_view signal = member;
            // Lock asks the session to lock; nothing may ever say it ended but input.
            if (signal == "Lock") locked(true, true);
            if (signal == "Unlock") locked(false, false);
        }));
    attached_->properties.push_back(std::make_unique<gdbus::PropertyWatch>(
        bus_.system, attached_->owner.c_str(), path.c_str(), session_interface, "LockedHint",
        attached_->cancel, [locked](GVariant* value) {
            if (g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN))
                locked(g_variant_get_boolean(value), false);
        }));
}

void Logind::take_sleep_delay() {
    auto done = [](GObject* source, GAsyncResult* result, gpointer data) {
        auto* delay = static_cast<std::shared_ptr<SleepDelay>*>(data);
        GUnixFDList* fds = nullptr;
        GError* error = nullptr;
        GVariant* reply = g_dbus_connection_call_with_unix_fd_list_finish(G_DBUS_CONNECTION(source),
                                                                          &fds, result, &error);
        if (reply) {
            gint32 index = -1;
            g_variant_get(reply, "(h)", &index);
            int fd = fds ? g_unix_fd_list_get(fds, index, nullptr) : -1;
            (*delay)->release();
            (*delay)->fd = fd;
            g_variant_unref(reply);
        } else if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
            spdlog::warn(
                "logind refused a sleep delay ({}): the state may not be saved just "
                "before a suspend",
                error->message);
        }
        if (fds) g_object_unref(fds);
        g_clear_error(&error);
        delete delay;
    };
    g_dbus_connection_call_with_unix_fd_list(
        bus_.system, bus_name, manager_path, manager_interface, "Inhibit",
        g_variant_new("(ssss)", "sleep", "postured", "Saving the work time counted", "delay"),
        G_VARIANT_TYPE("(h)"), G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, nullptr, attached_->cancel,
        done, new std::shared_ptr<SleepDelay>(attached_->sleep_delay));
}

void Logind::prepare_for_sleep(bool going) {
    auto now = boot_clock_now();
    if (!going) {
        bus_.sink.report({name, fact::Awake{now}});
        take_sleep_delay();
        return;
    }
    // Let go of the delay once the state is saved, from the Asio loop that saved it.
    bus_.sink.report({name, fact::Asleep{now}},
                     [delay = attached_->sleep_delay] { delay->release(); });
}

}  // namespace postured
