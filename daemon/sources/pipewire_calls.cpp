#include <utility>  // before Asio: Boost 1.74 with C++20 needs std::exchange declared

#include "sources/pipewire_calls.hpp"

#include "sources/inotify_events.hpp"

#include <pipewire/impl-module.h>
#include <pipewire/pipewire.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace postured {

namespace {

std::string_view lookup(const spa_dict* dict, const char* key) {
    const char* value = dict ? spa_dict_lookup(dict, key) : nullptr;
    return value ? value : "";
}

std::uint64_t number(const spa_dict* dict, const char* key, std::uint64_t otherwise) {
    auto text = lookup(dict, key);
    return text.empty() ? otherwise : std::strtoull(text.data(), nullptr, 10);
}

Properties to_properties(const spa_dict* dict) {
    Properties properties;
    const spa_dict_item* item;
    if (dict)
        spa_dict_for_each(item, dict) properties.emplace(item->key, item->value ? item->value : "");
    return properties;
}

std::string environment(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

}  // namespace

struct PipewireCalls::Node {
    PipewireCalls& owner;
    std::uint32_t id;
    std::uint64_t serial;
    std::uint32_t client;
    Properties properties;
    pw_proxy* proxy = nullptr;
    spa_hook listener{};
    bool running = false;
    bool camera = false;  // linked to a camera once: a camera switched mid-call is no screen
};

struct PipewireCalls::Client {
    PipewireCalls& owner;
    Properties properties;
    pw_proxy* proxy = nullptr;
    spa_hook listener{};
};

struct PipewireCalls::Hooks {
    spa_hook core{};
    spa_hook registry{};
};

PipewireCalls::PipewireCalls(boost::asio::io_context& io, PresenceSink& sink,
                             const Config::Calls& calls)
    : ignore_(calls.ignore), report_(io, sink, name), loop_fd_(io), socket_watch_(io), retry_(io) {
    // Once the daemon is ready: loading PipeWire's plugins takes longer than the rest of the start.
    retry_.expires_after(milliseconds{0});
    retry_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) set_up();
    });
}

void PipewireCalls::set_up() {
    static const bool initialized = (pw_init(nullptr, nullptr), true);
    (void)initialized;

    // Where pw_context_connect looks: the same variables, the same default.
    socket_name_ = environment("PIPEWIRE_REMOTE");
    if (socket_name_.empty()) socket_name_ = "pipewire-0";
    socket_dir_ = environment("PIPEWIRE_RUNTIME_DIR");
    if (socket_dir_.empty()) socket_dir_ = environment("XDG_RUNTIME_DIR");
    if (auto slash = socket_name_.rfind('/'); slash != std::string::npos) {
        socket_dir_ = socket_name_.substr(0, slash);
        socket_name_ = socket_name_.substr(slash + 1);
    }

    if (environment("PIPEWIRE_DEBUG").empty()) pw_log_set_level(SPA_LOG_LEVEL_ERROR);
    loop_ = pw_loop_new(nullptr);
    // No client.conf and its six modules: a client that only reads the graph needs the
    // protocol, and starts in a tenth of the time.
    context_ =
        loop_ ? pw_context_new(loop_, pw_properties_new(PW_KEY_CONFIG_NAME, "null", nullptr), 0)
              : nullptr;
    if (!context_ ||
        !pw_context_load_module(context_, "libpipewire-module-protocol-native", nullptr, nullptr)) {
        spdlog::warn("pipewire: cannot set up a client ({}): calls are not seen",
                     std::strerror(errno));
        return;
    }
    // The data loop carries media, and this client carries none: no thread for it.
    pw_data_loop_stop(pw_context_get_data_loop(context_));
    pw_loop_enter(loop_);
    loop_fd_.assign(pw_loop_get_fd(loop_));
    iterate();
    if (!connect()) wait_for_socket();
}

PipewireCalls::~PipewireCalls() {
    if (!loop_fd_.is_open()) {
        if (context_) pw_context_destroy(context_);
        if (loop_) pw_loop_destroy(loop_);
        return;
    }
    forget();
    pw_loop_leave(loop_);
    loop_fd_.release();
    pw_context_destroy(context_);
    pw_loop_destroy(loop_);
}

void PipewireCalls::iterate() {
    loop_fd_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                        [this](const boost::system::error_code& ec) {
                            if (ec) return;
                            pw_loop_iterate(loop_, 0);
                            iterate();
                        });
}

bool PipewireCalls::connect() {
    core_ = pw_context_connect(context_, nullptr, 0);
    if (!core_) return false;
    connect_tries_ = 0;
    hooks_ = std::make_unique<Hooks>();

    static const auto core_events = [] {
        pw_core_events events{};
        events.version = PW_VERSION_CORE_EVENTS;
        events.error = [](void* data, std::uint32_t id, int, int, const char* message) {
            auto* self = static_cast<PipewireCalls*>(data);
            // Any error of the core is its connection's end: a reset, a broken protocol.
            if (id != PW_ID_CORE) return;
            spdlog::info("pipewire: gone ({}); calls are watched again when it is back",
                         message ? message : "");
            // Not from inside its own callback: the core is destroyed with the connection.
            self->retry_.expires_after(milliseconds{0});
            self->retry_.async_wait([self](const boost::system::error_code& ec) {
                if (ec || !self->core_) return;
                self->forget();
                self->report_.captures().stop_all(boot_clock_now());
                self->report_.update();
                if (!self->connect()) self->wait_for_socket();
            });
        };
        return events;
    }();
    pw_core_add_listener(core_, &hooks_->core, &core_events, this);

    static const auto registry_events = [] {
        pw_registry_events events{};
        events.version = PW_VERSION_REGISTRY_EVENTS;
        events.global = [](void* data, std::uint32_t id, std::uint32_t, const char* type,
                           std::uint32_t, const spa_dict* props) {
            static_cast<PipewireCalls*>(data)->global(id, type, props);
        };
        events.global_remove = [](void* data, std::uint32_t id) {
            static_cast<PipewireCalls*>(data)->global_remove(id);
        };
        return events;
    }();
    registry_ = pw_core_get_registry(core_, PW_VERSION_REGISTRY, 0);
    pw_registry_add_listener(registry_, &hooks_->registry, &registry_events, this);
    spdlog::info("pipewire: watching for calls");
    return true;
}

// Drops the connection and all it told, telling nothing.
void PipewireCalls::forget() {
    if (!core_) return;
    for (auto& [id, node] : streams_) {
        spa_hook_remove(&node->listener);
        pw_proxy_destroy(node->proxy);
    }
    for (auto& [id, client] : clients_) {
        spa_hook_remove(&client->listener);
        pw_proxy_destroy(client->proxy);
    }
    streams_.clear();
    clients_.clear();
    device_nodes_.clear();
    links_.clear();
    spa_hook_remove(&hooks_->registry);
    pw_proxy_destroy(reinterpret_cast<pw_proxy*>(registry_));
    registry_ = nullptr;
    spa_hook_remove(&hooks_->core);
    pw_core_disconnect(core_);
    core_ = nullptr;
}

// PipeWire is not there: it will be once its socket is made. A socket that is made, or that is
// there but refuses, is tried a few times, as the server may not listen yet.
void PipewireCalls::wait_for_socket() {
    if (!socket_watch_.is_open()) {
        if (socket_dir_.empty()) {
            spdlog::warn("pipewire: no XDG_RUNTIME_DIR to find it in: calls are not seen");
            return;
        }
        int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0 || inotify_add_watch(fd, socket_dir_.c_str(), IN_CREATE | IN_MOVED_TO) < 0) {
            spdlog::warn("pipewire: cannot watch {} for its socket ({}): calls are not seen",
                         socket_dir_, std::strerror(errno));
            if (fd >= 0) ::close(fd);
            return;
        }
        socket_watch_.assign(fd);
        spdlog::info("pipewire: not running; waiting for {}/{}", socket_dir_, socket_name_);
        // It may have come back between the failed connection and the watch.
        if (::access((socket_dir_ + "/" + socket_name_).c_str(), F_OK) == 0) return try_connect();
    }
    socket_watch_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                             [this](const boost::system::error_code& ec) {
                                 if (!ec) read_socket_dir();
                             });
}

void PipewireCalls::read_socket_dir() {
    bool made = false;
    read_inotify_events(socket_watch_.native_handle(), [&](const inotify_event& event) {
        if (event.len && socket_name_ == event.name) made = true;
    });
    if (core_) return;
    if (!made) return wait_for_socket();
    try_connect();
}

void PipewireCalls::try_connect() {
    if (connect()) {
        socket_watch_.close();
        return;
    }
    if (++connect_tries_ > 5) {
        connect_tries_ = 0;
        return wait_for_socket();
    }
    retry_.expires_after(milliseconds{50 << connect_tries_});
    retry_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec && !core_) try_connect();
    });
}

void PipewireCalls::global(std::uint32_t id, const char* type, const spa_dict* props) {
    auto media_class = lookup(props, PW_KEY_MEDIA_CLASS);
    if (std::string_view(type) == PW_TYPE_INTERFACE_Link) {
        auto input =
            static_cast<std::uint32_t>(number(props, PW_KEY_LINK_INPUT_NODE, SPA_ID_INVALID));
        links_[id] = {
            static_cast<std::uint32_t>(number(props, PW_KEY_LINK_OUTPUT_NODE, SPA_ID_INVALID)),
            input};
        if (auto stream = streams_.find(input); stream != streams_.end()) judge(*stream->second);
        return;
    }
    if (std::string_view(type) != PW_TYPE_INTERFACE_Node) return;
    if (media_class == "Video/Source" && !lookup(props, PW_KEY_DEVICE_ID).empty()) {
        device_nodes_.insert(id);
        return;
    }
    if (!media_class.starts_with("Stream/Input/")) return;

    static const auto node_events = [] {
        pw_node_events events{};
        events.version = PW_VERSION_NODE_EVENTS;
        events.info = [](void* data, const pw_node_info* info) {
            auto* node = static_cast<Node*>(data);
            node->owner.node_info(*node, *info);
        };
        return events;
    }();
    auto client = static_cast<std::uint32_t>(number(props, PW_KEY_CLIENT_ID, SPA_ID_INVALID));
    auto node = std::make_unique<Node>(
        Node{*this, id, number(props, PW_KEY_OBJECT_SERIAL, id), client, to_properties(props)});
    node->proxy = static_cast<pw_proxy*>(pw_registry_bind(registry_, id, type, PW_VERSION_NODE, 0));
    if (!node->proxy) return;
    pw_proxy_add_object_listener(node->proxy, &node->listener, &node_events, node.get());
    streams_[id] = std::move(node);
    if (client != SPA_ID_INVALID && !clients_.contains(client)) bind_client(client);
}

// Native clients name their program on the client object only, which may come after the node.
void PipewireCalls::bind_client(std::uint32_t id) {
    static const auto client_events = [] {
        pw_client_events events{};
        events.version = PW_VERSION_CLIENT_EVENTS;
        events.info = [](void* data, const pw_client_info* info) {
            auto* client = static_cast<Client*>(data);
            client->owner.client_info(*client, *info);
        };
        return events;
    }();
    auto client = std::make_unique<Client>(Client{*this, {}});
    client->proxy = static_cast<pw_proxy*>(
        pw_registry_bind(registry_, id, PW_TYPE_INTERFACE_Client, PW_VERSION_CLIENT, 0));
    if (!client->proxy) return;
    pw_proxy_add_object_listener(client->proxy, &client->listener, &client_events, client.get());
    clients_[id] = std::move(client);
}

void PipewireCalls::global_remove(std::uint32_t id) {
    if (auto node = streams_.find(id); node != streams_.end()) {
        spa_hook_remove(&node->second->listener);
        pw_proxy_destroy(node->second->proxy);
        report_.captures().stopped(node->second->serial, boot_clock_now());
        streams_.erase(node);
        report_.update();
    } else if (auto client = clients_.find(id); client != clients_.end()) {
        spa_hook_remove(&client->second->listener);
        pw_proxy_destroy(client->second->proxy);
        clients_.erase(client);
    } else if (auto link = links_.find(id); link != links_.end()) {
        auto input = link->second.second;
        links_.erase(link);
        if (auto stream = streams_.find(input); stream != streams_.end()) judge(*stream->second);
    } else {
        device_nodes_.erase(id);
    }
}

void PipewireCalls::node_info(Node& node, const pw_node_info& info) {
    node.running = info.state == PW_NODE_STATE_RUNNING;
    if (info.change_mask & PW_NODE_CHANGE_MASK_PROPS) node.properties = to_properties(info.props);
    judge(node);
}

void PipewireCalls::client_info(Client& client, const pw_client_info& info) {
    if (!(info.change_mask & PW_CLIENT_CHANGE_MASK_PROPS)) return;
    client.properties = to_properties(info.props);
    for (auto& [id, node] : streams_)
        if (auto it = clients_.find(node->client);
            it != clients_.end() && it->second.get() == &client)
            judge(*node);
}

void PipewireCalls::judge(Node& node) {
    static const Properties no_client;
    auto client = clients_.find(node.client);
    node.camera =
        node.running && (node.camera || std::any_of(links_.begin(), links_.end(), [&](auto& link) {
                             return link.second.second == node.id &&
                                    device_nodes_.contains(link.second.first);
                         }));
    bool from_device = node.camera;
    auto capture = node.running ? call_capture(node.properties,
                                               client != clients_.end() ? client->second->properties
                                                                        : no_client,
                                               from_device, ignore_)
                                : std::nullopt;
    auto now = boot_clock_now();
    if (capture)
        report_.captures().started(node.serial, *capture, now);
    else
        report_.captures().stopped(node.serial, now);
    report_.update();
}

}  // namespace postured
