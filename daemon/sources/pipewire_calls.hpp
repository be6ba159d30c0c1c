#pragma once

#include <boost/asio/posix/stream_descriptor.hpp>
#include <map>
#include <memory>
#include <set>

#include "core/config.hpp"
#include "sources/call_report.hpp"
#include "sources/source.hpp"

struct pw_loop;
struct pw_context;
struct pw_core;
struct pw_registry;
struct pw_node_info;
struct pw_client_info;
struct spa_dict;
struct spa_hook;

namespace postured {

// Calls seen on PipeWire: an application that captures a microphone, a camera or a shared screen
// (a capture stream's node that runs). PipeWire's own loop runs on the daemon's, through its fd;
// while PipeWire is not there, its socket's creation is waited for with inotify.
class PipewireCalls : public Source {
  public:
    PipewireCalls(boost::asio::io_context& io, PresenceSink& sink, const Config::Calls& calls);
    ~PipewireCalls() override;

    static constexpr const char* name = "pipewire";

  private:
    struct Node;
    struct Client;
    struct Hooks;

    void set_up();
    bool connect();
    void forget();
    void wait_for_socket();
    void read_socket_dir();
    void try_connect();
    void iterate();

    void global(std::uint32_t id, const char* type, const spa_dict* props);
    void global_remove(std::uint32_t id);
    void node_info(Node& node, const pw_node_info& info);
    void client_info(Client& client, const pw_client_info& info);
    void bind_client(std::uint32_t id);
    void judge(Node& node);

    std::vector<std::string> ignore_;
    CallReport report_;
    std::string socket_dir_;
    std::string socket_name_;

    pw_loop* loop_ = nullptr;
    pw_context* context_ = nullptr;
    pw_core* core_ = nullptr;
    pw_registry* registry_ = nullptr;
    std::unique_ptr<Hooks> hooks_;
    boost::asio::posix::stream_descriptor loop_fd_;
    boost::asio::posix::stream_descriptor socket_watch_;
    int connect_tries_ = 0;
    boost::asio::steady_timer retry_;

    std::map<std::uint32_t, std::unique_ptr<Node>> streams_;
    std::map<std::uint32_t, std::unique_ptr<Client>> clients_;
    std::set<std::uint32_t> device_nodes_;  // Video/Source nodes of a device: cameras
    std::map<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>> links_;  // output, input
};

}  // namespace postured
