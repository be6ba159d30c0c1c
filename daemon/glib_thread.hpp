#pragma once

#include <glib.h>

#include <functional>
#include <thread>

namespace postured {

// A GLib main loop on a thread of its own, with its own main context: libnotify and GDBus
// deliver replies and signals to the context that was thread-default where they were called,
// so whatever is made with post() or call() is served by this loop.
class GlibThread {
  public:
    explicit GlibThread(const char* name);  // the thread's name, as ps and top show it
    ~GlibThread();                          // quits the loop and joins the thread
    GlibThread(const GlibThread&) = delete;
    GlibThread& operator=(const GlibThread&) = delete;

    // Runs `work` on the thread, after the work posted before it; returns at once.
    void post(std::function<void()> work);
    // The same, and waits for it: for making and destroying what lives on the thread.
    void call(const std::function<void()>& work);
    bool on_thread() const { return std::this_thread::get_id() == thread_.get_id(); }

  private:
    GMainContext* context_;
    GMainLoop* loop_;
    std::thread thread_;
};

}  // namespace postured
