#include "glib_loop.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>

namespace postured {

GlibLoop::GlibLoop(boost::asio::io_context& io)
    // Ownerless polling: a source attached from this thread between two rounds, as a source
    // made by an Asio handler does, wakes the context, so that the next round polls for it too.
    : io_(io),
      context_(g_main_context_new_with_flags(G_MAIN_CONTEXT_FLAGS_OWNERLESS_POLLING)),
      timeout_(io) {
    g_main_context_push_thread_default(context_);
    g_main_context_acquire(context_);
    wait();
}

GlibLoop::~GlibLoop() {
    timeout_.cancel();
    release_descriptors();
    g_main_context_release(context_);
    g_main_context_pop_thread_default(context_);
    g_main_context_unref(context_);
}

void GlibLoop::wait() {
    g_main_context_prepare(context_, &max_priority_);
    int timeout = -1;
    int count = 0;
    while ((count = g_main_context_query(context_, max_priority_, &timeout, fds_.data(),
                                         int(fds_.size()))) > int(fds_.size()))
        fds_.resize(std::size_t(count));
    fds_.resize(std::size_t(count));

    auto round = ++round_;
    auto ready = [this, round](const boost::system::error_code& ec) {
        if (!ec) ready_in(round);
    };
    // Made afresh each round: GLib may close a descriptor and reuse its number meanwhile.
    release_descriptors();
    using Wait = boost::asio::posix::descriptor_base::wait_type;
    for (auto& fd : fds_) {
        auto same = std::find_if(watched_.begin(), watched_.end(),
                                 [&](auto& d) { return d->native_handle() == fd.fd; });
        auto& descriptor =
            same != watched_.end()
                ? *same
                : watched_.emplace_back(
                      std::make_unique<boost::asio::posix::stream_descriptor>(io_, fd.fd));
        if (fd.events & (G_IO_IN | G_IO_HUP | G_IO_ERR))
            descriptor->async_wait(Wait::wait_read, ready);
        if (fd.events & G_IO_PRI) descriptor->async_wait(Wait::wait_error, ready);
        if (fd.events & G_IO_OUT) descriptor->async_wait(Wait::wait_write, ready);
    }
    if (timeout >= 0) {
        timeout_.expires_after(std::chrono::milliseconds{timeout});
        timeout_.async_wait(ready);
    }
    // Asio's waits see only what becomes ready once they are queued; what was ready before,
    // as a wake-up signalled while GLib dispatched, is found here.
    if (g_poll(fds_.data(), guint(fds_.size()), 0) > 0)
        boost::asio::post(io_, [this, round] { ready_in(round); });
}

void GlibLoop::ready_in(unsigned round) {
    if (round == round_) dispatch();
}

// They are GLib's: given back, never closed here.
void GlibLoop::release_descriptors() {
    for (auto& descriptor : watched_)
        descriptor->release();
    watched_.clear();
}

void GlibLoop::dispatch() {
    timeout_.cancel();
    release_descriptors();
    // What is ready, as GLib's own poll would have found it.
    g_poll(fds_.data(), guint(fds_.size()), 0);
    if (g_main_context_check(context_, max_priority_, fds_.data(), int(fds_.size())))
        g_main_context_dispatch(context_);
    wait();
}

GlibTimer::GlibTimer(std::chrono::milliseconds period, std::function<void()> tick)
    : source_(g_timeout_source_new(guint(period.count()))), tick_(std::move(tick)) {
    g_source_set_callback(
        source_,
        [](gpointer self) -> gboolean {
            static_cast<GlibTimer*>(self)->tick_();
            return G_SOURCE_CONTINUE;
        },
        this, nullptr);
    g_source_attach(source_, g_main_context_get_thread_default());
}

GlibTimer::~GlibTimer() {
    g_source_destroy(source_);
    g_source_unref(source_);
}

}  // namespace postured
