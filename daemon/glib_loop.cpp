#include "glib_loop.hpp"

#include <boost/asio/post.hpp>

namespace postured {

namespace asio = boost::asio;

GlibLoop::GlibLoop(asio::io_context& io)
    : io_(io), context_(g_main_context_default()), timeout_(io) {
    g_main_context_acquire(context_);
    wait();
}

GlibLoop::~GlibLoop() {
    ++round_;
    stop_waiting();
    g_main_context_release(context_);
}

void GlibLoop::wait() {
    bool ready = g_main_context_prepare(context_, &max_priority_);
    gint timeout = -1;
    fds_.resize(std::max<std::size_t>(fds_.size(), 8));
    for (;;) {
        auto n = g_main_context_query(context_, max_priority_, &timeout, fds_.data(),
                                      static_cast<gint>(fds_.size()));
        if (static_cast<std::size_t>(n) <= fds_.size()) {
            fds_.resize(static_cast<std::size_t>(n));
            break;
        }
        fds_.resize(static_cast<std::size_t>(n));
    }
    auto round = ++round_;
    auto wake = [this, round](const boost::system::error_code& ec) {
        if (!ec && round == round_) dispatch();
    };
    if (ready || timeout == 0) {
        asio::post(io_, [wake] { wake({}); });
        return;
    }
    // GLib may list one descriptor twice; Asio watches each descriptor once. The watches are made
    // afresh every round, because GLib may have closed a descriptor and reused its number.
    std::vector<int> seen;
    for (auto& fd : fds_) {
        if (std::find(seen.begin(), seen.end(), fd.fd) != seen.end()) continue;
        seen.push_back(fd.fd);
        gushort events = 0;
        for (auto& other : fds_)
            if (other.fd == fd.fd) events |= other.events;
        auto& watch =
            watches_.emplace_back(std::make_unique<asio::posix::stream_descriptor>(io_, fd.fd));
        if (events & (G_IO_IN | G_IO_HUP | G_IO_ERR | G_IO_PRI))
            watch->async_wait(asio::posix::descriptor_base::wait_read, wake);
        if (events & G_IO_OUT) watch->async_wait(asio::posix::descriptor_base::wait_write, wake);
    }
    if (timeout > 0) {
        timeout_.expires_after(std::chrono::milliseconds{timeout});
        timeout_.async_wait(wake);
    }
}

void GlibLoop::stop_waiting() {
    timeout_.cancel();
    for (auto& watch : watches_)
        watch->release();  // the descriptors are GLib's: never close them
    watches_.clear();
}

void GlibLoop::dispatch() {
    ++round_;
    stop_waiting();
    g_poll(fds_.data(), static_cast<guint>(fds_.size()), 0);
    if (g_main_context_check(context_, max_priority_, fds_.data(), static_cast<gint>(fds_.size())))
        g_main_context_dispatch(context_);
    wait();
}

}  // namespace postured
