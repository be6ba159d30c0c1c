#pragma once

#include <gio/gio.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "glib_thread.hpp"
#include "notifier.hpp"

namespace postured {

// The break as a desktop notification (LibnotifyNotifier), on a thread of its own: libnotify's
// calls wait for the notification server, up to 25 s when it hangs, and nothing else may wait
// with them (logind gives a few seconds to save the state before a suspend). Only the latest
// break (or its close) goes across: what the thread has not sent yet is replaced, so a burst of
// requests, or a server that is slow, costs one call behind, not a queue of them. The user's
// answers come out on the Asio loop, to the AnswerSink. The one crossing of threads in the
// daemon.
class BusNotifier : public Notifier {
  public:
    // `remember_at` keeps the id of the break's notification for the next run to take over.
    BusNotifier(boost::asio::io_context& io, GDBusConnection* session, Notifier& console,
                std::string remember_at);
    // The notifications queued are sent (a close, most often), unless the server hangs: it would
    // hold each one for 25 s. Then they are dropped after a grace, and closing the connection
    // ends the call under way at once.
    ~BusNotifier() override;

    // Answers go to `sink` from now on (before, answers have nothing to answer).
    void answer_to(AnswerSink& sink) { sink_ = &sink; }

    void configure(const Config::Notify& style) override;
    void show(const ShowBreak& request) override;
    void close() override;

  private:
    void want(std::optional<ShowBreak> wanted);  // on the Asio loop
    void send_latest();                          // on thread_

    boost::asio::io_context& io_;
    GDBusConnection* session_;
    AnswerSink* sink_ = nullptr;  // used on the Asio loop only
    GlibThread thread_{"postured-notify"};
    std::atomic<bool> stopping_ = false;
    std::mutex latest_mutex_;
    std::optional<std::optional<ShowBreak>> latest_;  // not sent yet: a break, or none (a close)
    std::unique_ptr<Notifier> notifier_;              // used on thread_ only
};

}  // namespace postured
