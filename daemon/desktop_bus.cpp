#include "desktop_bus.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <cstdlib>
#include <future>
#include <stdexcept>

#include "gdbus.hpp"
#include "libnotify_notifier.hpp"

namespace postured {

namespace {

const char* const session_variables[] = {"XDG_SESSION_TYPE", "XDG_CURRENT_DESKTOP", "DISPLAY",
                                         "WAYLAND_DISPLAY", "SWAYSOCK"};

std::string* variable(SessionFacts& facts, std::string_view key) {
    if (key == "XDG_SESSION_TYPE") return &facts.session_type;
    if (key == "XDG_CURRENT_DESKTOP") return &facts.current_desktop;
    if (key == "DISPLAY") return &facts.display;
    if (key == "WAYLAND_DISPLAY") return &facts.wayland_display;
    if (key == "SWAYSOCK") return &facts.sway_socket;
    return nullptr;
}

}  // namespace

SessionFacts session_from_environment() {
    SessionFacts facts;
    for (auto* key : session_variables)
        if (const char* value = std::getenv(key)) *variable(facts, key) = value;
    return facts;
}

// A sink on a GLib thread that carries what it is told to the Asio loop, while `alive`.
class DesktopBus::Outbox : public DesktopSink {
  public:
    Outbox(DesktopBus& bus, std::shared_ptr<bool> alive) : bus_(bus), alive_(std::move(alive)) {}

    using DesktopSink::report;
    void report(const Report& report, std::function<void()> after_saved) override {
        boost::asio::post(bus_.io_, [&bus = bus_, alive = alive_, report, after_saved] {
            if (*alive && bus.sink_)
                bus.sink_->report(report, after_saved);
            else if (after_saved)
                after_saved();
        });
    }
    void answer(const Event& answer) override {
        boost::asio::post(bus_.io_, [&bus = bus_, alive = alive_, answer] {
            if (*alive && bus.sink_) bus.sink_->answer(answer);
        });
    }

  private:
    DesktopBus& bus_;
    std::shared_ptr<bool> alive_;  // read and written on the Asio loop only
};

// What the Asio loop holds of a source on the bus thread.
class DesktopBus::HeldSource : public Source {
  public:
    HeldSource(DesktopBus& bus, MakeSource make)
        : thread_(bus.watching_),
          alive_(std::make_shared<bool>(true)),
          slot_(std::make_shared<Slot>()) {
        slot_->outbox = std::make_unique<Outbox>(bus, alive_);
        thread_.post([&bus, slot = slot_, make = std::move(make)] {
            slot->source = make({bus.session_, bus.system_, *slot->outbox});
        });
    }
    ~HeldSource() override {
        *alive_ = false;
        thread_.post([slot = std::move(slot_)] { slot->source.reset(); });
    }

    // The source answers on the bus thread; one that cannot is answered for from there.
    bool watch_for_pause(bool on) override {
        thread_.post([slot = slot_, on] {
            if (!(slot->source && slot->source->watch_for_pause(on)) && on)
                slot->outbox->report({"smart-timing", fact::InputPaused{}});
        });
        return true;
    }
    bool ask_quiet(bool on) override {
        thread_.post([slot = slot_, on] {
            if (!(slot->source && slot->source->ask_quiet(on)) && on)
                slot->outbox->report({"asked", fact::Quiet{false, "", true}});
        });
        return true;
    }

  private:
    struct Slot {  // used on the bus thread, but for the outbox's making
        std::unique_ptr<Outbox> outbox;
        std::unique_ptr<Source> source;
    };
    GlibThread& thread_;
    std::shared_ptr<bool> alive_;
    std::shared_ptr<Slot> slot_;
};

DesktopBus::DesktopBus(boost::asio::io_context& io, Notifier& console,
                       std::string notification_file)
    : io_(io) {
    std::string error_message;
    watching_.call([&] {
        GError* error = nullptr;
        session_ = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &error);
        if (!session_) {
            error_message = error->message;
            g_clear_error(&error);
            return;
        }
        system_ = g_bus_get_sync(G_BUS_TYPE_SYSTEM, nullptr, &error);
        if (system_) {
            // The system bus going away must not end the daemon, as GDBus would.
            g_dbus_connection_set_exit_on_close(system_, FALSE);
        } else {
            spdlog::warn(
                "no system bus ({}): suspends are seen only through the clock, and "
                "locks only through the screen lockers",
                error->message);
            g_clear_error(&error);
        }
    });
    if (!session_) throw std::runtime_error(error_message);
    watching_.call([this] {
        // GDBus would raise SIGTERM, a clean stop that the service manager does not restart.
        g_dbus_connection_set_exit_on_close(session_, FALSE);
        g_signal_connect(session_, "closed",
                         G_CALLBACK(+[](GDBusConnection*, gboolean, GError*, gpointer self) {
                             auto* bus = static_cast<DesktopBus*>(self);
                             if (bus->stopping_) return;
                             boost::asio::post(bus->io_, [bus] {
                                 if (bus->on_session_lost) bus->on_session_lost();
                             });
                         }),
                         this);
    });
    notifying_.call([&] {
        answers_ = std::make_unique<Outbox>(*this, std::make_shared<bool>(true));
        notifier_ = std::make_unique<LibnotifyNotifier>(
            session_, console, [this](const Event& e) { answers_->answer(e); },
            std::move(notification_file));
    });
}

// The state is saved by now. The notifications queued are sent (a close, most often), unless
// the server hangs: it would hold each one for 25 s. Then they are dropped after a grace, and
// closing the connection ends the call under way at once.
DesktopBus::~DesktopBus() {
    auto sent = std::make_shared<std::promise<void>>();
    notifying_.post([sent] { sent->set_value(); });
    if (sent->get_future().wait_for(std::chrono::seconds{2}) != std::future_status::ready) {
        spdlog::warn("the notification server does not answer; stopping without it");
        stopping_ = true;
        g_dbus_connection_set_exit_on_close(session_, FALSE);
        g_dbus_connection_close(session_, nullptr, nullptr, nullptr);
    }
    notifying_.call([this] { notifier_.reset(); });
    watching_.call([this] {
        g_signal_handlers_disconnect_by_data(session_, this);
        if (system_) g_object_unref(system_);
        g_object_unref(session_);
    });
}

void DesktopBus::configure(const Config::Notify& style) {
    notifying_.post([this, style] { notifier_->configure(style); });
}

void DesktopBus::show(const ShowBreak& request) {
    notifying_.post([this, request] {
        if (!stopping_) notifier_->show(request);
    });
}

void DesktopBus::close() {
    notifying_.post([this] {
        if (!stopping_) notifier_->close();
    });
}

std::unique_ptr<Source> DesktopBus::make_source(MakeSource make) {
    return std::make_unique<HeldSource>(*this, std::move(make));
}

void DesktopBus::read_session(std::function<void(const SessionFacts&)> done) {
    watching_.post([this, done = std::move(done)] {
        auto facts = std::make_shared<SessionFacts>(session_from_environment());
        auto finish = [this, facts, done] {
            boost::asio::post(io_, [facts, done] { done(*facts); });
        };
        auto from_manager = [this, facts, finish] {
            // Under the user manager, the session may have exported its variables there since.
            if (!std::getenv("INVOCATION_ID")) return finish();
            gdbus::get_property(
                session_, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                "org.freedesktop.systemd1.Manager", "Environment", nullptr,
                [facts, finish](GVariant* environment, const GError*) {
                    if (environment) {
                        GVariantIter iter;
                        const char* entry = nullptr;
                        g_variant_iter_init(&iter, environment);
                        while (g_variant_iter_next(&iter, "&s", &entry)) {
                            std::string_view text = entry;
                            auto equals = text.find('=');
                            if (equals == std::string_view::npos) continue;
                            if (auto* field = variable(*facts, text.substr(0, equals)))
                                *field = text.substr(equals + 1);
                        }
                    }
                    finish();
                });
        };
        gdbus::call(session_, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                    "org.freedesktop.DBus", "ListNames", nullptr, nullptr,
                    [facts, from_manager](GVariant* reply, const GError*) {
                        if (reply) {
                            GVariantIter* names = nullptr;
                            const char* name = nullptr;
                            g_variant_get(reply, "(as)", &names);
                            while (g_variant_iter_next(names, "&s", &name))
                                if (name[0] != ':') facts->bus_names.emplace_back(name);
                            g_variant_iter_free(names);
                        }
                        from_manager();
                    });
    });
}

}  // namespace postured
