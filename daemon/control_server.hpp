#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <list>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/protocol.hpp"

namespace postured {

// The control socket: newline-delimited JSON requests from the user's own processes.
// Only the user who runs the daemon may connect (directory 0700, socket 0600, and the peer's
// uid checked); requests are bounded in size, clients in number, and idle clients dropped.
// Followers (status --follow) have slots of their own, so that bars never lock commands out.
class ControlServer : public StatusFollower {
  public:
    using Handler = std::function<nlohmann::json(const protocol::Request&)>;

    static constexpr std::size_t max_clients = 64;
    static constexpr std::size_t max_followers = 64;
    static constexpr std::chrono::seconds idle_timeout{5};

    // Takes the instance lock in `dir`. Throws std::runtime_error with a message for the user
    // when another daemon holds the lock or the socket cannot be made there.
    ControlServer(boost::asio::io_context& io, const std::string& dir);
    ~ControlServer();

    // Listens on the socket, once the daemon can answer, and answers with `handler`: a client
    // that sees the socket may use it.
    void listen(Handler handler);

    // Sends the status to every client following it.
    void status_changed(const Status& status) override;

  private:
    class Session;
    void accept();
    void forget(Session* session);
    bool evict_idlest();
    std::size_t followers() const;

    Handler handler_;
    int lock_fd_ = -1;
    std::string socket_path_;
    boost::asio::local::stream_protocol::acceptor acceptor_;
    boost::asio::steady_timer accept_retry_;
    std::list<std::shared_ptr<Session>> sessions_;
};

}  // namespace postured
