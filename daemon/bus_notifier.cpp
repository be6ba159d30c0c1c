#include "bus_notifier.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <future>

#include "libnotify_notifier.hpp"

namespace postured {

BusNotifier::BusNotifier(boost::asio::io_context& io, GDBusConnection* session, Notifier& console,
                         std::string remember_at)
    : io_(io), session_(session) {
    g_object_ref(session_);
    thread_.call([&] {
        notifier_ = std::make_unique<LibnotifyNotifier>(
            session_, console,
            [this](const Event& answer) {
                boost::asio::post(io_, [this, answer] {
                    if (sink_) sink_->answer(answer);
                });
            },
            std::move(remember_at));
    });
}

BusNotifier::~BusNotifier() {
    auto sent = std::make_shared<std::promise<void>>();
    thread_.post([sent] { sent->set_value(); });
    if (sent->get_future().wait_for(std::chrono::seconds{2}) != std::future_status::ready) {
        spdlog::warn("the notification server does not answer; stopping without it");
        stopping_ = true;
        g_dbus_connection_close(session_, nullptr, nullptr, nullptr);
    }
    thread_.call([this] { notifier_.reset(); });
    g_object_unref(session_);
}

void BusNotifier::configure(const Config::Notify& style) {
    thread_.post([this, style] { notifier_->configure(style); });
}

void BusNotifier::show(const ShowBreak& request) {
    want(request);
}

void BusNotifier::close() {
    want(std::nullopt);
}

void BusNotifier::want(std::optional<ShowBreak> wanted) {
    bool posted = false;  // a send_latest() is on its way, and will take this one
    {
        std::lock_guard lock(latest_mutex_);
        posted = latest_.has_value();
        latest_ = std::move(wanted);
    }
    if (!posted) thread_.post([this] { send_latest(); });
}

void BusNotifier::send_latest() {
    std::optional<ShowBreak> wanted;
    {
        std::lock_guard lock(latest_mutex_);
        wanted = std::move(*latest_);
        latest_.reset();
    }
    if (stopping_) return;
    if (wanted)
        notifier_->show(*wanted);
    else
        notifier_->close();
}

}  // namespace postured
