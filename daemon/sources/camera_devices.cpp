#include <utility>  // before Asio: Boost 1.74 with C++20 needs std::exchange declared

#include "sources/camera_devices.hpp"

#include "sources/inotify_events.hpp"

#include <dirent.h>
#include <fnmatch.h>
#include <glob.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace postured {

namespace {

// A process opens its camera and only then gets the descriptor: /proc shows it a moment later.
constexpr milliseconds settle_after_event{250};

std::string read_link(const std::string& path) {
    char target[4096];
    auto length = ::readlink(path.c_str(), target, sizeof target);
    return length > 0 ? std::string(target, std::size_t(length)) : std::string();
}

// PipeWire opens the cameras it serves: those calls are seen on PipeWire, with who makes them.
bool is_pipewire(const std::string& program) {
    return program == "pipewire" || program == "wireplumber";
}

}  // namespace

CameraDevices::CameraDevices(boost::asio::io_context& io, PresenceSink& sink,
                             const Config::Calls& calls)
    : patterns_(calls.camera_devices),
      ignore_(calls.ignore),
      report_(io, sink, name),
      inotify_(io),
      settle_(io) {
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
        spdlog::warn("camera: no inotify ({}): cameras opened without PipeWire are not seen",
                     std::strerror(errno));
        return;
    }
    inotify_.assign(fd);
    for (auto& pattern : patterns_) {
        auto directory = std::filesystem::path(pattern).parent_path().string();
        // udev gives a new node its owner a moment after the kernel makes it: IN_ATTRIB.
        int watch = inotify_add_watch(fd, directory.c_str(), IN_CREATE | IN_MOVED_TO | IN_ATTRIB);
        if (watch >= 0) directories_[watch] = directory;
        glob_t found{};
        if (::glob(pattern.c_str(), 0, nullptr, &found) == 0)
            for (std::size_t i = 0; i < found.gl_pathc; ++i)
                watch_node(found.gl_pathv[i]);
        globfree(&found);
    }
    look();  // who holds one already
    wait();
}

void CameraDevices::watch_node(const std::string& path) {
    int watch = inotify_add_watch(inotify_.native_handle(), path.c_str(),
                                  IN_OPEN | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE);
    if (watch < 0) return;
    // /proc names what a process holds by its real path: /dev/video0, not /dev/v4l/by-id/...
    std::unique_ptr<char, decltype(&std::free)> real(::realpath(path.c_str(), nullptr), std::free);
    nodes_[watch] = real ? real.get() : path;
}

void CameraDevices::wait() {
    inotify_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                        [this](const boost::system::error_code& ec) {
                            if (!ec) read();
                        });
}

void CameraDevices::read() {
    bool opened_or_closed = false;
    read_inotify_events(inotify_.native_handle(), [&](const inotify_event& event) {
        if (event.mask & IN_IGNORED) {
            nodes_.erase(event.wd);  // the camera was unplugged
        } else if (auto dir = directories_.find(event.wd); dir != directories_.end()) {
            auto path = dir->second + "/" + event.name;
            for (auto& pattern : patterns_)
                if (::fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME) == 0) {
                    watch_node(path);
                    // It may have been opened before it was watched.
                    opened_or_closed = true;
                }
        } else {
            opened_or_closed = true;
        }
    });
    if (opened_or_closed) {
        settle_.expires_after(settle_after_event);
        settle_.async_wait([this](const boost::system::error_code& ec) {
            if (!ec) look();
        });
    }
    wait();
}

// Who holds a camera open now: the descriptors of every process the user may read.
void CameraDevices::look() {
    std::set<std::string> cameras;
    for (auto& [watch, path] : nodes_)
        cameras.insert(path);
    std::map<int, Capture> holding;
    if (!cameras.empty()) {
        auto self = ::getpid();
        std::unique_ptr<DIR, int (*)(DIR*)> proc(::opendir("/proc"), ::closedir);
        while (proc) {
            auto* entry = ::readdir(proc.get());
            if (!entry) break;
            int pid = std::atoi(entry->d_name);
            if (pid <= 0 || pid == self) continue;
            auto dir = "/proc/" + std::to_string(pid);
            std::unique_ptr<DIR, int (*)(DIR*)> fds(::opendir((dir + "/fd").c_str()), ::closedir);
            bool holds = false;
            while (fds && !holds) {
                auto* fd = ::readdir(fds.get());
                if (!fd) break;
                if (fd->d_name[0] != '.')
                    holds = cameras.contains(read_link(dir + "/fd/" + fd->d_name));
            }
            if (!holds) continue;
            auto program = std::filesystem::path(read_link(dir + "/exe")).filename().string();
            std::string comm;
            std::getline(std::ifstream(dir + "/comm"), comm);
            if (is_pipewire(program) || is_pipewire(comm)) continue;
            Properties node{{"media.class", "Stream/Input/Video"},
                            {"application.process.binary", program.empty() ? comm : program}};
            if (auto capture = call_capture(node, {}, true, ignore_))
                holding.emplace(pid, *capture);
        }
    }

    auto now = boot_clock_now();
    for (auto pid : holders_)
        if (!holding.contains(pid)) report_.captures().stopped(std::uint64_t(pid), now);
    holders_.clear();
    for (auto& [pid, capture] : holding) {
        report_.captures().started(std::uint64_t(pid), capture, now);
        holders_.insert(pid);
    }
    report_.update();
}

}  // namespace postured
