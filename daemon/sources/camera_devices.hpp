#pragma once

#include <boost/asio/posix/stream_descriptor.hpp>
#include <map>
#include <set>

#include "core/config.hpp"
#include "sources/call_report.hpp"
#include "sources/source.hpp"

namespace postured {

// Cameras opened without PipeWire, by applications that open /dev/video* themselves. inotify
// tells when a camera's device node is opened or closed, not by whom: /proc then tells who holds
// one. Cameras plugged in later are watched from their directory.
class CameraDevices : public Source {
  public:
    CameraDevices(boost::asio::io_context& io, PresenceSink& sink, const Config::Calls& calls);

    static constexpr const char* name = "camera";

  private:
    void watch_node(const std::string& path);
    void wait();
    void read();
    void look();

    std::vector<std::string> patterns_;
    std::vector<std::string> ignore_;
    CallReport report_;
    boost::asio::posix::stream_descriptor inotify_;
    boost::asio::steady_timer settle_;
    std::map<int, std::string> directories_;  // watch → directory
    std::map<int, std::string> nodes_;        // watch → device node
    std::set<int> holders_;                   // processes that hold a camera open
};

}  // namespace postured
