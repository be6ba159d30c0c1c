#include "control_server.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <algorithm>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <utility>

#include "core/language.hpp"
#include "private_dir.hpp"

namespace postured {

namespace asio = boost::asio;
using asio::local::stream_protocol;
using nlohmann::json;

namespace {

std::runtime_error system_error(const std::string& what) {
    return std::runtime_error(what + ": " + std::strerror(errno));
}

// Held for the daemon's life: a second daemon fails to take it, and a crashed one releases it,
// so its socket can be replaced safely.
int take_instance_lock(const std::string& dir) {
    auto path = dir + "/control.lock";
    int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) throw system_error("cannot open " + path);
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = {};
        auto n = pread(fd, pid, sizeof pid - 1, 0);
        close(fd);
        std::string holder = n > 0 ? std::string(pid, std::strcspn(pid, "\n")) : "?";
        throw std::runtime_error("postured is already running for this user (pid " + holder + ")");
    }
    auto text = std::to_string(getpid()) + "\n";
    if (ftruncate(fd, 0) != 0 || pwrite(fd, text.data(), text.size(), 0) < 0)
        spdlog::warn("cannot write the pid to {}: {}", path, std::strerror(errno));
    return fd;
}

}  // namespace

class ControlServer::Session : public std::enable_shared_from_this<Session> {
  public:
    Session(ControlServer& server, stream_protocol::socket socket)
        : server_(server), socket_(std::move(socket)), idle_(socket_.get_executor()) {}

    void start() {
        ucred peer{};
        socklen_t length = sizeof peer;
        if (getsockopt(socket_.native_handle(), SOL_SOCKET, SO_PEERCRED, &peer, &length) != 0 ||
            peer.uid != geteuid()) {
            spdlog::warn("refused a control connection from uid {}", peer.uid);
            finish_with(protocol::error_reply(
                {"permission_denied", _("this daemon belongs to another user")}));
            return;
        }
        if (server_.sessions_.size() - server_.followers() > max_clients &&
            !server_.evict_idlest()) {
            finish_with(protocol::error_reply({"busy", _("too many clients; try again")}));
            return;
        }
        arm_idle_timer();
        read();
    }

    void send(const json& message) {
        if (outbox_.size() >= 64) return close();  // a follower that does not read
        // Text from outside (a file name) may not be UTF-8: it is shown, not fatal.
        outbox_.push_back(message.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
        if (outbox_.size() == 1) write_next();
    }

    bool following() const { return following_; }
    asio::steady_timer::time_point last_heard() const { return idle_.expiry(); }
    void close() {
        if (closed_) return;
        closed_ = true;
        boost::system::error_code ignored;
        idle_.cancel();
        socket_.close(ignored);
        server_.forget(this);
    }

  private:
    void arm_idle_timer() {
        idle_.expires_after(idle_timeout);
        idle_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
            if (!ec && !self->following_) self->close();
        });
    }

    void read() {
        asio::async_read_until(
            socket_, asio::dynamic_buffer(buffer_, protocol::max_line + 1), '\n',
            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                if (self->closed_) return;
                if (ec == asio::error::not_found)
                    return self->finish_with(protocol::error_reply(
                        {"too_long",
                         formatted(_("a request is at most %zu bytes"), protocol::max_line)}));
                if (ec) return self->close();
                std::string line = self->buffer_.substr(0, n - 1);
                self->buffer_.erase(0, n);
                self->answer(line);
                self->arm_idle_timer();
                // A client that sends requests faster than it reads the answers is read again
                // once they are out: its answers never pile up.
                if (self->outbox_.empty())
                    self->read();
                else
                    self->read_when_sent_ = true;
            });
    }

    void answer(const std::string& line) {
        auto parsed = protocol::parse_request(line);
        if (auto* error = std::get_if<protocol::Error>(&parsed))
            return send(protocol::error_reply(*error));
        auto& request = std::get<protocol::Request>(parsed);
        if (request.follow && !following_ && server_.followers() >= max_followers)
            return finish_with(protocol::error_reply({"busy", _("too many status followers")}));
        send(handle(request));
        if (request.follow) following_ = true;
    }

    json handle(const protocol::Request& request) {
        try {
            return server_.handler_(request);
        } catch (const std::exception& e) {
            spdlog::error("a {} request failed: {}", protocol::spec(request.verb).name, e.what());
            return protocol::error_reply(
                {"internal", formatted(_("postured could not do that: %s"), e.what())});
        }
    }

    void write_next() {
        asio::async_write(
            socket_, asio::buffer(outbox_.front()),
            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                if (ec) return self->close();
                self->outbox_.pop_front();
                if (!self->outbox_.empty())
                    self->write_next();
                else if (self->closing_)
                    self->close();
                else if (std::exchange(self->read_when_sent_, false))
                    self->read();
            });
    }

    void finish_with(const json& message) {
        closing_ = true;
        send(message);
    }

    ControlServer& server_;
    stream_protocol::socket socket_;
    asio::steady_timer idle_;
    std::string buffer_;
    std::deque<std::string> outbox_;
    bool following_ = false;
    bool read_when_sent_ = false;
    bool closing_ = false;
    bool closed_ = false;
};

ControlServer::ControlServer(asio::io_context& io, const std::string& dir)
    : socket_path_(dir + "/control.sock"), acceptor_(io), accept_retry_(io) {
    if (socket_path_.size() >= sizeof(sockaddr_un{}.sun_path))
        throw std::runtime_error("the control socket's path " + socket_path_ + " is " +
                                 std::to_string(socket_path_.size()) +
                                 " bytes long, and a socket's path is at most " +
                                 std::to_string(sizeof(sockaddr_un{}.sun_path) - 1) +
                                 ": set XDG_RUNTIME_DIR to a shorter directory");
    make_private_dir(dir);
    lock_fd_ = take_instance_lock(dir);
    unlink(socket_path_.c_str());  // left by a daemon that died; the lock says none is running
}

void ControlServer::listen(Handler handler) {
    handler_ = std::move(handler);
    auto old_mask = umask(0177);
    boost::system::error_code ec;
    acceptor_.open(stream_protocol(), ec);
    if (!ec) acceptor_.bind(stream_protocol::endpoint(socket_path_), ec);
    umask(old_mask);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("cannot listen on " + socket_path_ + ": " + ec.message());
    accept();
}

ControlServer::~ControlServer() {
    for (auto& session : std::list(sessions_))
        session->close();
    unlink(socket_path_.c_str());
    close(lock_fd_);
}

void ControlServer::accept() {
    acceptor_.async_accept(
        [this](const boost::system::error_code& ec, stream_protocol::socket socket) {
            if (ec == asio::error::operation_aborted) return;
            if (ec) {  // e.g. out of file descriptors: wait a little rather than spin
                spdlog::warn("control socket: {}", ec.message());
                accept_retry_.expires_after(std::chrono::milliseconds{200});
                accept_retry_.async_wait([this](const boost::system::error_code& e) {
                    if (!e) accept();
                });
                return;
            }
            sessions_.push_back(std::make_shared<Session>(*this, std::move(socket)));
            sessions_.back()->start();
            accept();
        });
}

void ControlServer::forget(Session* session) {
    sessions_.remove_if([&](auto& s) { return s.get() == session; });
}

// Makes room for a new client by dropping the one that has been silent longest; followers stay.
bool ControlServer::evict_idlest() {
    std::shared_ptr<Session> idlest;
    for (auto& session : sessions_)
        if (!session->following() && session->last_heard() != asio::steady_timer::time_point{} &&
            (!idlest || session->last_heard() < idlest->last_heard()))
            idlest = session;
    if (!idlest) return false;
    idlest->close();
    return true;
}

std::size_t ControlServer::followers() const {
    return std::count_if(sessions_.begin(), sessions_.end(),
                         [](auto& session) { return session->following(); });
}

void ControlServer::status_changed(const Status& status) {
    auto message = protocol::ok_reply({{"status", status}});
    for (auto& session : std::list(sessions_))
        if (session->following()) session->send(message);
}

}  // namespace postured
