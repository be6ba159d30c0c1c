#pragma once

#include <glib.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

namespace postured {

// Serves a GLib main context from the Asio loop, on the Asio loop's thread: GDBus replies and
// signals, and GLib timers, run there like every other handler. The context is made the calling
// thread's default for as long as this lives, so what is made on this thread attaches to it.
// One iteration of GLib's loop at a time: prepare, query, wait on its descriptors and its
// timeout with Asio, check, dispatch.
class GlibLoop {
  public:
    explicit GlibLoop(boost::asio::io_context& io);
    ~GlibLoop();
    GlibLoop(const GlibLoop&) = delete;
    GlibLoop& operator=(const GlibLoop&) = delete;

  private:
    void wait();
    void ready_in(unsigned round);
    void dispatch();

    boost::asio::io_context& io_;
    GMainContext* context_;
    std::vector<GPollFD> fds_;
    int max_priority_ = 0;
    void release_descriptors();
    // The descriptors GLib polls this round.
    std::vector<std::unique_ptr<boost::asio::posix::stream_descriptor>> watched_;
    boost::asio::steady_timer timeout_;
    unsigned round_ = 0;  // a wait of an earlier round that completes late is ignored
};

// A timer on the calling thread's main context, for as long as the object lives: `tick` runs
// every `period`.
class GlibTimer {
  public:
    GlibTimer(std::chrono::milliseconds period, std::function<void()> tick);
    ~GlibTimer();
    GlibTimer(const GlibTimer&) = delete;
    GlibTimer& operator=(const GlibTimer&) = delete;

  private:
    GSource* source_;
    std::function<void()> tick_;
};

}  // namespace postured
