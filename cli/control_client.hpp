#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace postured {

// One connection to the daemon's control socket.
class ControlClient {
  public:
    // Connects, or says why not in `error` (with errno's name in `error_code`).
    static std::optional<ControlClient> connect(const std::string& path, std::string& error,
                                                int& error_code);
    ControlClient(ControlClient&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    ~ControlClient();

    // False when the daemon has closed the connection (a reply it sent before may still be read).
    bool send(const nlohmann::json& request);
    // The next message; nothing on end of file, a broken message, or when `timeout` passes first,
    // or when `output` (a descriptor written to) has lost its reader.
    std::optional<nlohmann::json> receive(
        std::optional<std::chrono::milliseconds> timeout = std::nullopt, int output = -1);
    bool at_end() const { return eof_; }
    bool output_gone() const { return output_gone_; }

  private:
    explicit ControlClient(int fd) : fd_(fd) {}
    int fd_;
    std::string buffer_;
    bool eof_ = false;
    bool output_gone_ = false;
};

// Waits `timeout`; false, at once, when `output` has lost its reader (a closed pipe).
bool wait_while_read(int output, std::chrono::milliseconds timeout);

}  // namespace postured
