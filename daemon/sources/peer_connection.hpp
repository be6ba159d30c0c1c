#pragma once

#include <spdlog/common.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <string>

#include "sources/reconnect.hpp"

namespace postured {

// A connection to a peer reached through one descriptor (an X server, a Wayland compositor,
// sway's IPC socket) on the Asio loop: the descriptor is waited on, never polled. A peer that
// cannot be reached, or goes away, is told of once and looked for again, less often the longer it
// stays away.
class PeerConnection {
  public:
    static constexpr int unreachable = -1;  // from Peer::open: look again later
    static constexpr int give_up = -2;      // from Peer::open: never look again

    // What a source does with its peer.
    class Peer {
      public:
        // Connects and sets up: the descriptor to wait on (the peer keeps it), or unreachable
        // (with why, when there is more to say than that) or give_up.
        virtual int open(std::string& why) = 0;
        // Reads what is waiting and gets ready to wait again; false when the peer is gone.
        virtual bool read() = 0;
        // Lets the connection go; called also when none is open.
        virtual void close() = 0;
        // The peer went away: withdraw what was said from it.
        virtual void lost() = 0;

      protected:
        ~Peer() = default;
    };

    // `peer_name` is said in the log ("the X display :0"), with what is seen through the peer
    // (`watching`: "idle time"); a peer out of reach is told at `loudness`.
    PeerConnection(boost::asio::io_context& io, Peer& peer, std::string peer_name,
                   std::string watching, spdlog::level::level_enum loudness);

    // From the source's constructor, once it is whole.
    void start();
    // The peer is set up: said in the log when it had been out of reach.
    void ready();
    // From the source's destructor.
    void stop();

  private:
    bool connect();
    void take();
    void lose();
    void disconnect();

    Peer& peer_;
    std::string peer_name_;
    std::string watching_;
    spdlog::level::level_enum loudness_;
    bool told_unreachable_ = false;
    boost::asio::posix::stream_descriptor descriptor_;
    Reconnect reconnect_;
};

}  // namespace postured
