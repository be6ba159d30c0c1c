#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "config_files.hpp"
#include "temp_tree.hpp"

using namespace postured;
using postured::test::TempTree;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// Only the variables given, and the system's XDG places moved somewhere that does not exist:
// no test may read this machine's /etc/xdg or /usr/share, where postured may be installed.
Getenv env(std::map<std::string, std::string> vars) {
    vars.try_emplace("XDG_CONFIG_DIRS", "/nonexistent/etc/xdg");
    vars.try_emplace("XDG_DATA_DIRS", "/nonexistent/usr/share");
    return [vars](const char* name) -> const char* {
        auto it = vars.find(name);
        return it == vars.end() ? nullptr : it->second.c_str();
    };
}

}  // namespace

TEST_CASE("config files are found in the XDG places, system first", "[config][xdg]") {
    TempTree t;
    auto vendor = t.write("vendor/postured/config.toml", "[schedule]\ninterval = \"40m\"\n");
    auto site = t.write("site/postured/config.toml", "[schedule]\ninterval = \"45m\"\n");
    auto user = t.write("home/.config/postured/config.toml", "[snooze]\nlimit = 1\n");
    auto vars =
        env({{"HOME", t.root / "home"},
             {"XDG_CONFIG_DIRS", (t.root / "site").string() + ":" + (t.root / "vendor").string()}});

    auto sources = find_config_sources(vars, std::nullopt, t.root / "none");
    CHECK(sources.files == std::vector<std::string>{vendor, site, user});
    CHECK_FALSE(sources.catalog);

    auto config = read_config(sources).finish();
    REQUIRE(config);
    CHECK(config->schedule.interval ==
          45min);  // the first of XDG_CONFIG_DIRS is the most important
    CHECK(config->snooze.limit == 1);
}

TEST_CASE("XDG_CONFIG_HOME wins over ~/.config, and --config replaces every place",
          "[config][xdg]") {
    TempTree t;
    t.write("home/.config/postured/config.toml", "");
    auto xdg_user = t.write("xdg/postured/config.toml", "");
    auto vars = env({{"HOME", t.root / "home"},
                     {"XDG_CONFIG_HOME", t.root / "xdg"},
                     {"XDG_CONFIG_DIRS", t.root / "nothing"}});
    CHECK(find_config_sources(vars, std::nullopt, "/nonexistent").files ==
          std::vector<std::string>{xdg_user});
    CHECK(find_config_sources(vars, "/some/file.toml", "/nonexistent").files ==
          std::vector<std::string>{"/some/file.toml"});
}

TEST_CASE("an installed catalog is preferred to the built-in one", "[config][xdg]") {
    TempTree t;
    auto installed = t.write("usr/share/postured/stretches.toml", "");
    auto vars = env({{"HOME", t.root / "home"}, {"XDG_DATA_DIRS", t.root / "usr/share"}});
    CHECK(find_config_sources(vars, std::nullopt, "/nonexistent").catalog == installed);

    auto mine = t.write("home/.local/share/postured/stretches.toml", "");
    CHECK(find_config_sources(vars, std::nullopt, "/nonexistent").catalog == mine);
}

TEST_CASE("pictures come first from beside the program, then from the XDG data dirs",
          "[config][xdg][pictures]") {
    auto vars = env({{"HOME", "/home/me"}, {"XDG_DATA_DIRS", "/usr/local/share:/usr/share"}});
    auto sources = find_config_sources(vars, std::nullopt, "/opt/postured/share");
    CHECK(sources.data_dirs == std::vector<std::string>{"/home/me/.local/share", "/usr/local/share",
                                                        "/usr/share", "/opt/postured/share"});
    CHECK(sources.picture_dirs == std::vector<std::string>{"/opt/postured/share",
                                                           "/home/me/.local/share",
                                                           "/usr/local/share", "/usr/share"});
}

TEST_CASE("a file that cannot be read is a located error", "[config][xdg]") {
    ConfigSources sources;
    sources.files = {"/nonexistent/postured.toml"};
    auto parser = read_config(sources);
    CHECK_FALSE(parser.finish());
    REQUIRE(parser.diagnostics().size() == 1);
    CHECK(parser.diagnostics()[0].to_string() ==
          "/nonexistent/postured.toml: cannot read: No such file or directory");
}

TEST_CASE("texts read once parse the same, whatever is saved to the file since", "[config][xdg]") {
    TempTree t;
    ConfigSources sources;
    sources.files = {t.write("config.toml", "[schedule]\ninterval = \"40m\"\n")};
    auto texts = read_config_texts(sources);
    t.write("config.toml", "[schedule]\ninterval = \"soon\"\n");

    for (int reading = 0; reading < 2; ++reading) {
        auto parser = parse_config(texts);
        auto config = parser.finish();
        REQUIRE(config);
        CHECK(config->schedule.interval == 40min);
        CHECK(parser.diagnostics().empty());
    }
    CHECK_FALSE(read_config(sources).finish());
}

TEST_CASE("a path that is not a file says what it is", "[config][xdg]") {
    TempTree t;
    auto problem = [](const std::string& path) {
        ConfigSources sources;
        sources.files = {path};
        auto parser = read_config(sources);
        CHECK_FALSE(parser.finish());
        REQUIRE(parser.diagnostics().size() == 1);
        return parser.diagnostics()[0].to_string();
    };
    auto fifo = (t.root / "fifo").string();
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    auto socket_path = (t.root / "socket").string();
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{.sun_family = AF_UNIX, .sun_path = {}};
    std::strncpy(address.sun_path, socket_path.c_str(), sizeof address.sun_path - 1);
    REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    auto device = (t.root / "device").string();
    fs::create_symlink("/dev/null", device);
    auto large = t.write("large.toml", std::string(max_config_bytes + 1, '#'));

    CHECK(problem(t.root) == t.root.string() + ": cannot read: it is a directory, not a file");
    CHECK(problem(fifo) == fifo + ": cannot read: it is a FIFO, not a file");
    CHECK(problem(socket_path) == socket_path + ": cannot read: it is a socket, not a file");
    CHECK(problem(device) == device + ": cannot read: it is a character device, not a file");
    CHECK(problem(large) ==
          large + ": cannot read: it is larger than 1 MiB, too large for a config file");
    close(listener);
}
