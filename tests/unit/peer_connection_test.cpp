#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <cerrno>
#include <vector>

#include "sources/peer_connection.hpp"

using namespace postured;
using namespace std::chrono_literals;

namespace {

// A peer at the other end of a socket pair, which the test holds.
struct PairPeer : PeerConnection::Peer {
    std::vector<int> answers;  // what each open gives in turn; past the end, a new pair
    PeerConnection* connection = nullptr;
    int opened = 0, closed = 0, gone = 0;
    std::string received;
    int ours = -1, theirs = -1;

    int open(std::string& why) override {
        auto turn = static_cast<std::size_t>(opened++);
        if (turn < answers.size()) {
            why = "not there yet";
            return answers[turn];
        }
        int pair[2];
        REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) == 0);
        ours = pair[0];
        theirs = pair[1];
        connection->ready();
        return ours;
    }
    bool read() override {
        char chunk[64];
        for (;;) {
            auto got = ::read(ours, chunk, sizeof chunk);
            if (got <= 0) return got < 0 && errno == EAGAIN;
            received.append(chunk, static_cast<std::size_t>(got));
        }
    }
    void close() override {
        ++closed;
        if (ours >= 0) ::close(ours);
        ours = -1;
    }
    void lost() override { ++gone; }
};

}  // namespace

TEST_CASE("a peer is read when its descriptor is, and looked for again when it goes", "[peer]") {
    boost::asio::io_context io;
    PairPeer peer;
    peer.answers = {PeerConnection::unreachable};
    PeerConnection connection(io, peer, "the test peer", "nothing", spdlog::level::debug);
    peer.connection = &connection;
    connection.start();
    CHECK(peer.opened == 1);
    CHECK(peer.closed == 1);  // what the failed open left is let go
    io.run_for(500ms);
    CHECK(peer.opened == 1);
    io.run_for(1s);  // a second after the first try
    REQUIRE(peer.opened == 2);

    REQUIRE(::write(peer.theirs, "hello", 5) == 5);
    io.run_for(100ms);
    CHECK(peer.received == "hello");
    CHECK(peer.gone == 0);

    ::close(peer.theirs);
    io.run_for(100ms);
    CHECK(peer.gone == 1);
    CHECK(peer.closed == 2);
    io.run_for(1200ms);  // set up once, so a second again, not two
    CHECK(peer.opened == 3);
    CHECK(peer.gone == 1);

    connection.stop();
    ::close(peer.theirs);
    io.run_for(1200ms);
    CHECK(peer.gone == 1);  // stopped is not lost
    CHECK(peer.opened == 3);
}

TEST_CASE("a peer that gives up is not looked for again", "[peer]") {
    boost::asio::io_context io;
    PairPeer peer;
    peer.answers = {PeerConnection::give_up};
    PeerConnection connection(io, peer, "the test peer", "nothing", spdlog::level::debug);
    peer.connection = &connection;
    connection.start();
    io.run_for(1500ms);
    CHECK(peer.opened == 1);
    CHECK(peer.closed == 1);
}
