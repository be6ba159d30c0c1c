#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sources/reconnect.hpp"
#include "sources/source.hpp"

namespace postured {

// Whether the window in focus under sway is full screen, from sway's IPC socket (SWAYSOCK): the
// tree once, then again at each window or workspace event that can change it. A socket that goes
// away is looked for again, less often the longer it stays away.
class SwayFullscreen : public Source {
  public:
    SwayFullscreen(boost::asio::io_context& io, PresenceSink& sink, std::string socket_path);
    ~SwayFullscreen() override;

    static constexpr const char* name = "sway-fullscreen";

  private:
    bool connect();
    void send(std::uint32_t type, std::string_view payload);
    void write_front();
    void read_header();
    void read_payload(std::uint32_t type, std::uint32_t length);
    void take(std::uint32_t type, const std::string& payload);
    void lose(const boost::system::error_code& ec);
    void tell(bool on);

    PresenceSink& sink_;
    std::string path_;
    boost::asio::local::stream_protocol::socket socket_;
    std::array<char, 14> header_{};
    std::string payload_;
    std::vector<std::string> outbox_;  // requests written, one at a time
    std::optional<bool> fullscreen_;   // as last told
    Reconnect reconnect_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for the handlers
};

}  // namespace postured
