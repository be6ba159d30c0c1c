#pragma once

#include <glib.h>

#include <functional>
#include <memory>
#include <thread>

#include "notifier.hpp"

namespace postured {

// Runs a notifier on a thread of its own, in a GLib main loop with its own context: the notifier
// is made there, called there in order, and destroyed there. libnotify's calls wait for the
// notification server's answer (up to 25 s when it hangs); here they never hold up the scheduler,
// the control socket or the watchdog. Calls return at once.
class NotifierThread : public Notifier {
  public:
    using Make = std::function<std::unique_ptr<Notifier>()>;

    explicit NotifierThread(const Make& make);
    ~NotifierThread() override;
    NotifierThread(const NotifierThread&) = delete;
    NotifierThread& operator=(const NotifierThread&) = delete;

    void configure(const Config::Notify& style) override;
    void show(const ShowBreak& request) override;
    void close() override;

  private:
    void post(std::function<void()> work);
    void call(std::function<void()> work);

    GMainContext* context_;
    GMainLoop* loop_;
    std::thread thread_;
    std::unique_ptr<Notifier> notifier_;  // used on the thread only
};

}  // namespace postured
