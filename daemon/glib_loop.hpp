#pragma once

#include <glib.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <vector>

namespace postured {

// Runs GLib's default main context inside the Asio loop, on the same thread: each round asks
// GLib which descriptors and timeout it waits on, waits for them with Asio, then lets GLib
// dispatch. Nothing wakes up while GLib has nothing to do.
//
// GLib signals its context only for sources added from other threads, so code on the Asio side
// that calls into GLib must call g_main_context_wakeup(nullptr) afterwards for the round to be
// prepared again.
class GlibLoop {
  public:
    explicit GlibLoop(boost::asio::io_context& io);
    ~GlibLoop();
    GlibLoop(const GlibLoop&) = delete;
    GlibLoop& operator=(const GlibLoop&) = delete;

  private:
    void wait();
    void dispatch();
    void stop_waiting();

    boost::asio::io_context& io_;
    GMainContext* context_;
    std::vector<GPollFD> fds_;
    gint max_priority_ = 0;
    std::vector<std::unique_ptr<boost::asio::posix::stream_descriptor>> watches_;
    boost::asio::steady_timer timeout_;
    unsigned round_ = 0;  // handlers of an earlier round are stale
};

}  // namespace postured
