#pragma once

#include <boost/asio/io_context.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "sources/peer_connection.hpp"
#include "sources/source.hpp"

namespace postured {

// Whether the window in focus under sway is full screen, from sway's IPC socket (SWAYSOCK): the
// tree once, then again at each window or workspace event that can change it. The socket is a
// PeerConnection: one that goes away is looked for again.
class SwayFullscreen : public Source, PeerConnection::Peer {
  public:
    SwayFullscreen(boost::asio::io_context& io, PresenceSink& sink, std::string socket_path);
    ~SwayFullscreen() override;

    static constexpr const char* name = "sway-fullscreen";

  private:
    int open(std::string& why) override;
    bool read() override;
    void close() override;
    void lost() override;
    bool send(std::uint32_t type, std::string_view payload);
    bool take(std::uint32_t type, const std::string& payload);
    void tell(bool on);

    PresenceSink& sink_;
    std::string path_;
    int socket_ = -1;
    std::string received_;            // what is read and not yet taken
    std::optional<bool> fullscreen_;  // as last told
    PeerConnection connection_;
};

}  // namespace postured
